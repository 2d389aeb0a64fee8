package io.hanse.kernel.security.internal;

import io.hanse.api.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Agents' Ed25519 public keys in OpenSSH's one-line format, read with the JDK alone: an agent's key
 * is stored like a user's SSH key and known by the same fingerprint.
 */
final class AgentKeys {

    private static final String TYPE = "ssh-ed25519";
    private static final int KEY_BYTES = 32;

    /**
     * A parsed key: Bouncy Castle's (its Ed25519 verifies several times faster than the JDK 17
     * one, which was most of the server's work per agent request), the OpenSSH fingerprint, and
     * the line it was read from.
     */
    record AgentKey(Ed25519PublicKeyParameters key, String fingerprint, String line) {
    }

    private AgentKeys() {
    }

    /**
     * Reads a line such as {@code ssh-ed25519 AAAA… web-1}.
     *
     * @throws InvalidRequestException if it is not one Ed25519 public key
     */
    static AgentKey parse(String line) {
        String[] fields = line == null ? new String[0] : line.strip().split("\\s+");
        if (line == null || line.length() > 1000 || fields.length < 2 || !fields[0].equals(TYPE)) {
            throw new InvalidRequestException("an agent's public key is one line 'ssh-ed25519 AAAA… comment'");
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
            return new AgentKey(new Ed25519PublicKeyParameters(raw, 0), fingerprint(blob), line.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("the public key is not a valid Ed25519 key: " + e.getMessage());
        }
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

    /** The fingerprint OpenSSH shows: {@code SHA256:} and the unpadded base64 of the blob's SHA-256. */
    private static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
