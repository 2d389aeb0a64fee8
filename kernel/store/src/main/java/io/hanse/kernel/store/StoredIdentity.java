package io.hanse.kernel.store;

import java.time.Instant;

/**
 * This instance's Ed25519 key pair, which peers pin.
 *
 * @param publicKey the public key in OpenSSH's one-line format
 * @param privateKey the 32-byte private key, base64; never shown, logged or sent
 * @param created when it was made
 */
public record StoredIdentity(String publicKey, String privateKey, Instant created) {

    @Override
    public String toString() {
        return "StoredIdentity[publicKey=" + publicKey + ", created=" + created + "]";
    }
}
