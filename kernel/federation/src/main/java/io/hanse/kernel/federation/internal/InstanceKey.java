package io.hanse.kernel.federation.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.store.StoredIdentity;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * This instance's Ed25519 key pair, which signs every frame it sends to peers. Peers pin its public
 * key when they accept an invitation. The private key leaves this object only as
 * {@link #privateKeyBase64()}, for storing; {@link #toString()} shows the fingerprint alone.
 */
final class InstanceKey {

    private static final int PRIVATE_KEY_BYTES = Ed25519PrivateKeyParameters.KEY_SIZE;

    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519Key publicKey;

    private InstanceKey(Ed25519PrivateKeyParameters privateKey, Ed25519Key publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * Makes a new key pair.
     *
     * @param instanceName the public key line's comment, such as {@code fra}; no white space
     * @throws IllegalArgumentException if the name is empty or holds white space
     */
    static InstanceKey generate(String instanceName) {
        if (instanceName == null || instanceName.isEmpty() || instanceName.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("an instance key's comment is the instance name, without white space;"
                    + " got '" + instanceName + "'");
        }
        Ed25519PrivateKeyParameters privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        return new InstanceKey(privateKey, Ed25519Key.of(privateKey.generatePublicKey(), instanceName));
    }

    /**
     * Restores a stored key pair.
     *
     * @param publicKeyLine the public key as {@link Ed25519Key#line()} gave it
     * @param privateKeyBase64 the private key as {@link #privateKeyBase64()} gave it
     * @throws IllegalStateException if either is malformed or the private key does not belong to the
     *     public one; the message never shows the private key
     */
    static InstanceKey restore(String publicKeyLine, String privateKeyBase64) {
        Ed25519Key publicKey;
        try {
            publicKey = Ed25519Key.parse(publicKeyLine);
        } catch (InvalidRequestException e) {
            throw new IllegalStateException("the stored public key of this instance is malformed: " + e.getMessage(),
                    e);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(privateKeyBase64 == null ? "" : privateKeyBase64.strip());
        } catch (IllegalArgumentException e) {
            // The exception's message may quote the key, so it is not kept.
            throw new IllegalStateException("the stored private key of this instance is not base64");
        }
        try {
            if (raw.length != PRIVATE_KEY_BYTES) {
                throw new IllegalStateException("the stored private key of this instance is " + raw.length
                        + " bytes, not " + PRIVATE_KEY_BYTES);
            }
            Ed25519PrivateKeyParameters privateKey = new Ed25519PrivateKeyParameters(raw, 0);
            if (!Arrays.equals(privateKey.generatePublicKey().getEncoded(), publicKey.key().getEncoded())) {
                throw new IllegalStateException("the stored private key of this instance does not belong to its"
                        + " public key " + publicKey.fingerprint());
            }
            return new InstanceKey(privateKey, publicKey);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Restores the key pair the store keeps.
     *
     * @throws IllegalStateException as {@link #restore(String, String)}
     */
    static InstanceKey restore(StoredIdentity stored) {
        return restore(stored.publicKey(), stored.privateKey());
    }

    /** Returns the public key, as peers pin it. */
    Ed25519Key publicKey() {
        return publicKey;
    }

    /** Returns the private key's 32 bytes in base64, for storing only: never log or show it. */
    String privateKeyBase64() {
        return Base64.getEncoder().encodeToString(privateKey.getEncoded());
    }

    /** Returns the Ed25519 signature (64 bytes) of the data. */
    byte[] sign(byte[] data) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    /** Shows the public key's fingerprint, never the private key. */
    @Override
    public String toString() {
        return "InstanceKey[" + publicKey.fingerprint() + "]";
    }
}
