package io.hanse.kernel.security.internal;

import io.hanse.api.TooManyRequestsException;
import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.security.SignedRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks signed requests (see {@code docs/agent-protocol.md}): the header's parts, the time of
 * signing, the signature over the request, and that no nonce is used twice while its request
 * would still be accepted.
 */
final class RequestSignatures {

    /** How far the time of signing may be from the server's clock, either way. */
    static final Duration WINDOW = Duration.ofMinutes(5);
    /**
     * How many nonces are remembered at most, in some 32 MiB: 3,300 signed requests a second for the
     * five minutes a nonce is kept when the agent's clock is right, half as many if it is five
     * minutes ahead. Past it, requests are refused rather than remembered loosely.
     */
    static final int MAX_NONCES = 1_000_000;
    private static final Pattern PARAMETER = Pattern.compile("\\s*([a-z]+)=\"([^\"]*)\"\\s*(?:,|$)");
    private static final Pattern KEY = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    /** Unix seconds up to the year 5138: any time {@link Instant} holds, none that overflows it. */
    private static final Pattern CREATED = Pattern.compile("[0-9]{1,11}");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22,128}");
    private static final int SIGNATURE_BYTES = 64;

    /** Why a request was refused: said in the audit log, never to the caller. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The parts of a {@code Hanse-Signature} header. */
    record Parts(String key, long created, String nonce, byte[] signature) {
    }

    /** Nonces seen; guarded by {@code this}. */
    private final NonceLog nonces = new NonceLog(MAX_NONCES);

    /** Reads the header's parts. */
    static Parts parse(String authorization) throws Refused {
        String parameters = authorization.substring(SignedRequest.SCHEME.length()).strip();
        Map<String, String> values = new HashMap<>();
        Matcher matcher = PARAMETER.matcher(parameters);
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            values.put(matcher.group(1), matcher.group(2));
            end = matcher.end();
        }
        if (end != parameters.length() || !values.keySet().equals(Set.of("key", "created", "nonce", "signature"))) {
            throw new Refused("malformed header: expected key, created, nonce and signature");
        }
        if (!KEY.matcher(values.get("key")).matches()) {
            throw new Refused("the key is not an OpenSSH SHA256 fingerprint");
        }
        if (!CREATED.matcher(values.get("created")).matches()) {
            throw new Refused("the created time is not Unix seconds");
        }
        if (!NONCE.matcher(values.get("nonce")).matches()) {
            throw new Refused("the nonce is not 16 or more bytes of base64url");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(values.get("signature"));
        } catch (IllegalArgumentException e) {
            throw new Refused("the signature is not base64");
        }
        if (signature.length != SIGNATURE_BYTES) {
            throw new Refused("the signature is not " + SIGNATURE_BYTES + " bytes");
        }
        return new Parts(values.get("key"), Long.parseLong(values.get("created")), values.get("nonce"), signature);
    }

    /**
     * Checks a request's time and signature, then takes its nonce.
     *
     * @throws Refused if the request was signed too long ago or ahead, the signature does not hold, or
     *     the nonce was seen before
     * @throws TooManyRequestsException if the nonces remembered are at their bound
     */
    void verify(Parts parts, Ed25519Key key, SignedRequest request, Instant now) throws Refused {
        Instant created = Instant.ofEpochSecond(parts.created());
        if (created.isBefore(now.minus(WINDOW)) || created.isAfter(now.plus(WINDOW))) {
            throw new Refused("signed at " + created + ", more than " + WINDOW.toSeconds()
                    + " s from the server's clock");
        }
        byte[] text;
        try {
            text = signedText(parts, request).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new Refused("the signature cannot be checked: " + e.getMessage());
        }
        if (!key.verifies(text, parts.signature())) {
            throw new Refused("the signature does not match the request");
        }
        remember(parts, created.plus(WINDOW), now);
    }

    /** The text the agent signed. */
    static String signedText(Parts parts, SignedRequest request) throws GeneralSecurityException {
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(request.body()));
        return String.join("\n", "hanse-agent-request-v1", request.method(), request.target(),
                Long.toString(parts.created()), parts.nonce(), digest);
    }

    private synchronized void remember(Parts parts, Instant forgetAfter, Instant now) throws Refused {
        switch (nonces.take(parts.key(), parts.nonce(), forgetAfter.getEpochSecond(), now.getEpochSecond())) {
            case FULL -> throw new TooManyRequestsException("too many signed requests in the last "
                    + WINDOW.toMinutes() + " minutes; try again shortly", Duration.ofSeconds(
                            Math.max(1, nonces.oldestForgetAfter() + 1 - now.getEpochSecond())));
            case SEEN -> throw new Refused("the nonce was used before: a replayed request");
            case NEW -> {
            }
        }
    }
}
