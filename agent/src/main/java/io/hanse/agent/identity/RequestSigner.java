package io.hanse.agent.identity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * Signs requests as {@code docs/agent-protocol.md} says: an Ed25519 signature over six lines (a
 * version tag, the method, the request target exactly as sent, the time, a fresh nonce and the
 * body's SHA-256), sent in an {@code Authorization: Hanse-Signature …} header.
 */
public final class RequestSigner {

    private static final String VERSION_LINE = "hanse-agent-request-v1";
    private static final int NONCE_BYTES = 16;

    private final String fingerprint;
    private final UnaryOperator<byte[]> sign;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** Creates a signer with {@code key} that dates its signatures by {@code clock}. */
    public RequestSigner(AgentKey key, Clock clock) {
        this(key.fingerprint(), key::sign, clock);
    }

    /**
     * Creates a signer that signs with {@code sign}, the Ed25519 signature by the key with this
     * OpenSSH fingerprint: for a load generator that signs for many agents with a faster Ed25519 than
     * the JDK's.
     */
    public RequestSigner(String fingerprint, UnaryOperator<byte[]> sign, Clock clock) {
        this.fingerprint = fingerprint;
        this.sign = sign;
        this.clock = clock;
    }

    /** Returns the {@code Authorization} header for a request to {@code uri} with {@code body} (empty for none). */
    public String authorization(String method, URI uri, byte[] body) {
        long created = clock.instant().getEpochSecond();
        byte[] nonceBytes = new byte[NONCE_BYTES];
        random.nextBytes(nonceBytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
        String text = signingText(method, target(uri), created, nonce, body);
        String signature = Base64.getEncoder().encodeToString(sign.apply(text.getBytes(StandardCharsets.UTF_8)));
        return "Hanse-Signature key=\"" + fingerprint + "\", created=\"" + created + "\", nonce=\"" + nonce
                + "\", signature=\"" + signature + "\"";
    }

    /** Returns the six lines a signature is made over, joined by {@code \n} with no trailing newline. */
    public static String signingText(String method, String target, long created, String nonce, byte[] body) {
        return String.join("\n", VERSION_LINE, method, target, Long.toString(created), nonce,
                Base64.getEncoder().encodeToString(AgentKey.sha256(body)));
    }

    /** Returns the request target as sent: the raw path, and {@code ?} and the raw query if there is one. */
    public static String target(URI uri) {
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
