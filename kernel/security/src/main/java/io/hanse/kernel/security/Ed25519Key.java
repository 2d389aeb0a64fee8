package io.hanse.kernel.security;

import io.hanse.api.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 public key in OpenSSH's one-line format, as agents and peer instances are known: stored
 * like a user's SSH key and shown by the same fingerprint. Bouncy Castle's Ed25519 verifies several
 * times faster than the JDK 17 one, which was most of the server's work per agent request.
 *
 * @param key the key
 * @param fingerprint what OpenSSH shows for it: {@code SHA256:} and the unpadded base64 of the
 *     SHA-256 of its wire form
 * @param line the line, such as {@code ssh-ed25519 AAAA… web-1}
 */
public record Ed25519Key(Ed25519PublicKeyParameters key, String fingerprint, String line) {

    private static final String TYPE = "ssh-ed25519";
    private static final int KEY_BYTES = 32;

    /**
     * Reads a line such as {@code ssh-ed25519 AAAA… web-1}.
     *
     * @throws InvalidRequestException if it is not one Ed25519 public key
     */
    public static Ed25519Key parse(String line) {
        String[] fields = line == null ? new String[0] : line.strip().split("\\s+");
        if (line == null || line.length() > 1000 || fields.length < 2 || !fields[0].equals(TYPE)) {
            throw new InvalidRequestException("a public key is one line 'ssh-ed25519 AAAA… comment'");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(fields[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("the public key's second field is not base64");
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        byte[] type = field(buffer);
        byte[] raw = field(buffer);
        if (!Arrays.equals(type, TYPE.getBytes(StandardCharsets.US_ASCII)) || raw.length != KEY_BYTES
                || buffer.hasRemaining()) {
            throw new InvalidRequestException("the public key is not a well-formed ssh-ed25519 key");
        }
        try {
            return new Ed25519Key(new Ed25519PublicKeyParameters(raw, 0), fingerprint(blob), line.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("the public key is not a valid Ed25519 key: " + e.getMessage());
        }
    }

    /**
     * Returns a key in the one-line format.
     *
     * @param comment the line's last field, such as the instance's name; no white space
     */
    public static Ed25519Key of(Ed25519PublicKeyParameters key, String comment) {
        byte[] type = TYPE.getBytes(StandardCharsets.US_ASCII);
        byte[] blob = ByteBuffer.allocate(8 + type.length + KEY_BYTES)
                .putInt(type.length).put(type).putInt(KEY_BYTES).put(key.getEncoded()).array();
        return new Ed25519Key(key, fingerprint(blob), TYPE + ' ' + Base64.getEncoder().encodeToString(blob) + ' '
                + comment);
    }

    /** Returns whether the signature over the data was made with this key's private key. */
    public boolean verifies(byte[] data, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(data, 0, data.length);
        return verifier.verifySignature(signature);
    }

    /** One length-prefixed field of the SSH wire format; empty if the buffer holds none. */
    private static byte[] field(ByteBuffer buffer) {
        if (buffer.remaining() < 4) {
            return new byte[0];
        }
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            return new byte[0];
        }
        byte[] field = new byte[length];
        buffer.get(field);
        return field;
    }

    private static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
