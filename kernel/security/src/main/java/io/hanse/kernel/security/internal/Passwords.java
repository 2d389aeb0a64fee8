package io.hanse.kernel.security.internal;

import io.hanse.api.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes (Argon2id, in the PHC string format), the rules a new password must pass, and
 * generated passwords.
 */
final class Passwords {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 1024;
    /** OWASP's recommended Argon2id settings: 19 MiB, two passes, one lane. */
    private static final int MEMORY_KIB = 19 * 1024;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final String PREFIX = "$argon2id$v=19$";
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Unambiguous letters and digits for generated passwords: no 0/O, 1/l/I. */
    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final Set<String> COMMON = Set.of("password", "passw0rd", "123456789012", "qwertyuiopas",
            "administrator", "letmein", "welcome", "changeme", "karaf", "hanse");

    private Passwords() {
    }

    /** Returns the PHC-format Argon2id hash of a password, with a fresh random salt. */
    static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM);
        return PREFIX + "m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(hash);
    }

    /** Returns whether the password matches a hash made by {@link #hash}, in constant time. */
    static boolean verify(char[] password, String encoded) {
        if (encoded == null || !encoded.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = encoded.substring(PREFIX.length()).split("\\$");
        if (parts.length != 3) {
            return false;
        }
        int memory = 0;
        int iterations = 0;
        int parallelism = 0;
        for (String setting : parts[0].split(",")) {
            String[] pair = setting.split("=", 2);
            int value = Integer.parseInt(pair[1]);
            switch (pair[0]) {
                case "m" -> memory = value;
                case "t" -> iterations = value;
                case "p" -> parallelism = value;
                default -> {
                    return false;
                }
            }
        }
        byte[] expected = B64_DECODER.decode(parts[2]);
        byte[] actual = argon2(password, B64_DECODER.decode(parts[1]), memory, iterations, parallelism);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] argon2(char[] password, byte[] salt, int memory, int iterations, int parallelism) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build());
        byte[] bytes = utf8(password);
        byte[] hash = new byte[HASH_BYTES];
        try {
            generator.generateBytes(bytes, hash);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return hash;
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    /**
     * Checks that a password may be set for a user.
     *
     * @throws InvalidRequestException saying what is wrong with it, never repeating it
     */
    static void checkStrength(String user, char[] password) {
        if (password == null || password.length == 0) {
            throw new InvalidRequestException("the password is empty");
        }
        if (password.length < MIN_LENGTH) {
            throw new InvalidRequestException("the password is too short: it needs at least " + MIN_LENGTH
                    + " characters");
        }
        if (password.length > MAX_LENGTH) {
            throw new InvalidRequestException("the password is too long: at most " + MAX_LENGTH + " characters");
        }
        String lower = new String(password).toLowerCase(Locale.ROOT);
        if (lower.chars().distinct().count() < 5) {
            throw new InvalidRequestException("the password is too weak: it needs at least 5 different characters");
        }
        if (lower.contains(user.toLowerCase(Locale.ROOT))) {
            throw new InvalidRequestException("the password is too weak: it contains the user name");
        }
        for (String common : COMMON) {
            if (lower.contains(common)) {
                throw new InvalidRequestException("the password is too weak: it contains a commonly used word");
            }
        }
    }

    /** Returns a new random password of 24 characters (about 140 bits). */
    static char[] generate() {
        char[] password = new char[24];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return password;
    }
}
