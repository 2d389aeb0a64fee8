package io.hanse.kernel.security.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Fresh SSH keys for tests. */
final class TestKeys {

    private TestKeys() {
    }

    /** Returns a new ECDSA (nistp256) key. */
    static PublicKey ecdsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has ECDSA on P-256", e);
        }
    }

    /** Returns a new Ed25519 key. */
    static PublicKey ed25519() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519", new BouncyCastleProvider()).generateKeyPair();
            return pair.getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("BouncyCastle has Ed25519", e);
        }
    }

    /** Returns the key in OpenSSH's one-line format, with a comment. */
    static String line(PublicKey key) {
        return PublicKeyEntry.toString(key) + " test@example";
    }
}
