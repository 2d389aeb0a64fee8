package io.hanse.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * An agent written into the test from docs/agent-protocol.md, apart from the agent program: its
 * own Ed25519 key, and requests signed as the protocol says. Tests use it to send what the real
 * agent never would: replays, tampered bodies, reports outside its scope.
 */
final class SignedAgent {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair key;
    private final String base;
    private String fingerprint;

    /** @param base the REST root, such as {@code http://127.0.0.1:8181/api/v1/} */
    SignedAgent(String base) {
        this.base = base;
        try {
            key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 17 has Ed25519", e);
        }
    }

    /** The public key in OpenSSH's one-line format; also sets the fingerprint the key is known by. */
    String publicKey() {
        byte[] encoded = key.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer blob = ByteBuffer.allocate(8 + type.length + raw.length);
        blob.putInt(type.length).put(type).putInt(raw.length).put(raw);
        try {
            fingerprint = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(blob.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.array()) + " itest";
    }

    /** The fingerprint {@link #publicKey} set, {@code SHA256:…}. */
    String fingerprint() {
        return fingerprint;
    }

    /** A request signed now, ready to send (or to send twice). */
    HttpRequest signed(String method, String path, String body) {
        return signed(method, path, body, Instant.now());
    }

    HttpRequest signed(String method, String path, String body, Instant created) {
        URI uri = URI.create(base + path);
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
        String target = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        try {
            String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
            String text = String.join("\n", "hanse-agent-request-v1", method, target,
                    Long.toString(created.getEpochSecond()), nonce, digest);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key.getPrivate());
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            String authorization = "Hanse-Signature key=\"" + fingerprint + "\", created=\""
                    + created.getEpochSecond() + "\", nonce=\"" + nonce + "\", signature=\""
                    + Base64.getEncoder().encodeToString(signer.sign()) + "\"";
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", authorization)
                    .timeout(Duration.ofSeconds(90));
            return body == null ? request.method(method, HttpRequest.BodyPublishers.noBody()).build()
                    : request.header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same signed headers over another body: what an attacker who changed a captured request sends. */
    static HttpRequest tampered(HttpRequest signed, String body) {
        return HttpRequest.newBuilder(signed.uri()).header("Authorization",
                signed.headers().firstValue("Authorization").orElseThrow())
                .header("Content-Type", "application/json")
                .method(signed.method(), HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
