package io.hanse.kernel.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API tokens: 256 random bits behind a recognisable prefix (so secret scanners can find leaked
 * ones), stored only as their SHA-256. A fast hash is enough here, unlike for passwords: nobody
 * can guess 256 random bits.
 */
final class Tokens {

    /** The prefix of API tokens. */
    static final String PREFIX = "hanse_";
    /** The prefix of one-time agent enrollment tokens. */
    static final String ENROLLMENT_PREFIX = "hanse_enroll_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    static String generate(String prefix) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
