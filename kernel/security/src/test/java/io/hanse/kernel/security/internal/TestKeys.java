package io.hanse.kernel.security.internal;

import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.security.SignedRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Fresh SSH keys for tests, and requests signed as an agent signs them. */
final class TestKeys {

    private TestKeys() {
    }

    /** Returns a new ECDSA (nistp256) key. */
    static PublicKey ecdsa() {
        return ecdsaPair().getPublic();
    }

    /** Returns a new ECDSA (nistp256) key pair, which SSH clients sign with without another provider. */
    static KeyPair ecdsaPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has ECDSA on P-256", e);
        }
    }

    /** Returns a new Ed25519 key. */
    static PublicKey ed25519() {
        return ed25519Pair().getPublic();
    }

    /** Returns a new Ed25519 key pair. */
    static KeyPair ed25519Pair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", new BouncyCastleProvider()).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("BouncyCastle has Ed25519", e);
        }
    }

    /** Returns the key as the server reads it. */
    static Ed25519Key agentKey(KeyPair pair) {
        return Ed25519Key.parse(line(pair.getPublic()));
    }

    /**
     * Signs a request from {@link SecurityFixture#ADDRESS} with a fresh nonce, as
     * docs/agent-protocol.md says, with BouncyCastle; the server checks with its own code.
     */
    static SignedRequest sign(KeyPair pair, String method, String target, byte[] body, Instant created) {
        try {
            String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
            String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
            String text = String.join("\n", "hanse-agent-request-v1", method, target,
                    Long.toString(created.getEpochSecond()), nonce, digest);
            Signature signer = Signature.getInstance("Ed25519", new BouncyCastleProvider());
            signer.initSign(pair.getPrivate());
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            String header = "Hanse-Signature key=\"" + agentKey(pair).fingerprint() + "\", created=\""
                    + created.getEpochSecond() + "\", nonce=\"" + nonce + "\", signature=\""
                    + Base64.getEncoder().encodeToString(signer.sign()) + "\"";
            return new SignedRequest(header, method, target, body, SecurityFixture.ADDRESS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the key in OpenSSH's one-line format, with a comment. */
    static String line(PublicKey key) {
        return PublicKeyEntry.toString(key) + " test@example";
    }
}
