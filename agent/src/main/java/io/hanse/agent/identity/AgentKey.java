package io.hanse.agent.identity;

import io.hanse.agent.common.Log;
import io.hanse.agent.common.StateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The agent's Ed25519 key pair. The private key is kept in {@code agent.key} in the state directory
 * (PKCS#8, PEM, mode 0600) and never leaves the host; the public key in {@code agent.pub}, in
 * OpenSSH's one-line format, as the server stores it.
 */
public final class AgentKey {

    /** The private key's file in the state directory. */
    public static final String PRIVATE_FILE = "agent.key";
    /** The public key's file in the state directory. */
    public static final String PUBLIC_FILE = "agent.pub";
    private static final String TYPE = "ssh-ed25519";
    private static final int RAW_BYTES = 32;
    // The X.509 SubjectPublicKeyInfo of an Ed25519 key is this fixed prefix and the 32 raw bytes (RFC 8410).
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private AgentKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Returns a new key pair from the JDK's Ed25519 generator. */
    public static AgentKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new AgentKey(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 has Ed25519", e);
        }
    }

    /** Returns whether the state directory holds a key pair. */
    public static boolean exists(Path stateDir) {
        return Files.exists(stateDir.resolve(PRIVATE_FILE));
    }

    /**
     * Reads the key pair from the state directory.
     *
     * @throws IllegalStateException if there is none, it cannot be read, or its halves do not belong together
     */
    public static AgentKey load(Path stateDir) {
        Path privateFile = stateDir.resolve(PRIVATE_FILE);
        try {
            if (StateFiles.readableByOthers(privateFile)) {
                Log.warn(privateFile + " can be read by others than its owner: chmod 600 it");
            }
            String pem = Files.readString(privateFile, StandardCharsets.US_ASCII);
            String base64 = pem.replace(PEM_BEGIN, "").replace(PEM_END, "").replaceAll("\\s", "");
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            PublicKey publicKey = parseOpenSsh(Files.readString(stateDir.resolve(PUBLIC_FILE), StandardCharsets.UTF_8));
            AgentKey key = new AgentKey(privateKey, publicKey);
            key.checkPair();
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the agent's key in " + stateDir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(privateFile + " is not an Ed25519 private key in PKCS#8 PEM: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Returns the public key of an OpenSSH one-line {@code ssh-ed25519} key.
     *
     * @throws IllegalArgumentException if the line is not one
     */
    public static PublicKey parseOpenSsh(String line) {
        String[] fields = line.strip().split("\\s+");
        if (fields.length < 2 || !fields[0].equals(TYPE)) {
            throw new IllegalArgumentException("not an ssh-ed25519 public key line");
        }
        ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(fields[1]));
        byte[] type = readString(blob);
        byte[] raw = readString(blob);
        if (!Arrays.equals(type, TYPE.getBytes(StandardCharsets.US_ASCII)) || raw.length != RAW_BYTES
                || blob.hasRemaining()) {
            throw new IllegalArgumentException("the key blob is not an ssh-ed25519 key");
        }
        byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + RAW_BYTES);
        System.arraycopy(raw, 0, encoded, X509_PREFIX.length, RAW_BYTES);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a valid Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** Returns the OpenSSH fingerprint of a public key: {@code SHA256:} and unpadded base64 of its wire blob's hash. */
    public static String fingerprint(PublicKey publicKey) {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256(wireBlob(publicKey)));
    }

    /** Writes the key pair to the state directory: the private key with mode 0600 from the first byte on. */
    public void save(Path stateDir, String comment) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(privateKey.getEncoded());
        String pem = PEM_BEGIN + "\n" + base64 + "\n" + PEM_END + "\n";
        StateFiles.writeAtomically(stateDir.resolve(PRIVATE_FILE), pem.getBytes(StandardCharsets.US_ASCII), true);
        StateFiles.writeAtomically(stateDir.resolve(PUBLIC_FILE),
                (openSsh(comment) + "\n").getBytes(StandardCharsets.UTF_8), false);
    }

    /** Returns the public key in OpenSSH's one-line format: {@code ssh-ed25519 AAAA… comment}. */
    public String openSsh(String comment) {
        return openSsh(publicKey, comment);
    }

    /** Returns an Ed25519 public key in OpenSSH's one-line format: {@code ssh-ed25519 AAAA… comment}. */
    public static String openSsh(PublicKey publicKey, String comment) {
        return TYPE + " " + Base64.getEncoder().encodeToString(wireBlob(publicKey)) + " " + comment;
    }

    /** Returns this key's OpenSSH fingerprint, by which the server knows the agent. */
    public String fingerprint() {
        return fingerprint(publicKey);
    }

    /** Returns the public key. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** Returns the Ed25519 signature of {@code data}. */
    public byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the agent's key", e);
        }
    }

    private void checkPair() throws GeneralSecurityException {
        byte[] probe = "hanse-agent key check".getBytes(StandardCharsets.US_ASCII);
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(sign(probe))) {
            throw new GeneralSecurityException(PUBLIC_FILE + " does not belong to " + PRIVATE_FILE);
        }
    }

    /** The key as SSH encodes it: string "ssh-ed25519", then string of the 32 raw bytes. */
    private static byte[] wireBlob(PublicKey publicKey) {
        byte[] encoded = publicKey.getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - RAW_BYTES, encoded.length);
        byte[] type = TYPE.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(8 + type.length + RAW_BYTES)
                .putInt(type.length).put(type).putInt(RAW_BYTES).put(raw).array();
    }

    private static byte[] readString(ByteBuffer blob) {
        if (blob.remaining() < 4) {
            throw new IllegalArgumentException("the key blob is cut short");
        }
        int length = blob.getInt();
        if (length < 0 || length > blob.remaining()) {
            throw new IllegalArgumentException("the key blob is cut short");
        }
        byte[] bytes = new byte[length];
        blob.get(bytes);
        return bytes;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
