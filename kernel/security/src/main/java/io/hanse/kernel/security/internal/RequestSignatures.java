package io.hanse.kernel.security.internal;

import io.hanse.api.TooManyRequestsException;
import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.security.SignedRequest;
import io.hanse.kernel.security.internal.NonceLog.Taken;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks signed requests (see {@code docs/agent-protocol.md}): the header's parts, the time of
 * signing, the signature over the request, and that no nonce is used twice while its request
 * would still be accepted. Nonces are remembered in memory only, so a request signed before this
 * object was made is refused: an earlier process may have taken its nonce.
 */
final class RequestSignatures {

    /** How far the time of signing may be from the server's clock, either way. */
    static final Duration WINDOW = Duration.ofMinutes(5);
    /**
     * How many nonces are remembered at most, in some 36 MiB: 3,300 signed requests a second for the
     * five minutes a nonce is kept when the agent's clock is right, half as many if it is five
     * minutes ahead. Past it, requests are refused rather than remembered loosely.
     */
    static final int MAX_NONCES = 1_000_000;
    /**
     * How many of them one key may hold once they are half a million: a twentieth, so that it takes
     * ten looping or stolen keys to fill the other half. That is 166 signed requests a second for five
     * minutes, four times what each of the monitoring benchmark's 32 agents sends, and some 500 times
     * a real agent's load. Below half a million a key is not held to it: the benchmark's one agent at
     * its one-client level sends 490 a second.
     */
    static final int MAX_NONCES_PER_KEY = MAX_NONCES / 20;
    /**
     * The least a caller refused for want of room is told to wait; as much again is added at
     * random, so that agents refused in the same second do not all come back in the same second.
     */
    static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Pattern PARAMETER = Pattern.compile("\\s*([a-z]+)=\"([^\"]*)\"\\s*(?:,|$)");
    private static final Pattern KEY = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    /** Unix seconds up to the year 5138: any time {@link Instant} holds, none that overflows it. */
    private static final Pattern CREATED = Pattern.compile("[0-9]{1,11}");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22,128}");
    private static final int SIGNATURE_BYTES = 64;

    /** Why a request was refused: said in the audit log, and only where it helps, to the caller. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        private final String told;
        private final boolean signed;

        Refused(String reason) {
            this(reason, null, false);
        }

        /**
         * @param told what the caller is told; {@code null} for no more than that it is refused
         * @param signed whether the request's signature held: then it is no guess at a key
         */
        Refused(String reason, String told, boolean signed) {
            super(reason, null, false, false);
            this.told = told;
            this.signed = signed;
        }

        String told() {
            return told;
        }

        boolean signed() {
            return signed;
        }
    }

    /** The parts of a {@code Hanse-Signature} header. */
    record Parts(String key, long created, String nonce, byte[] signature) {
    }

    /** Nonces seen; guarded by {@code this}. */
    private final NonceLog nonces;
    /** The first whole second since this started: a request signed earlier may have been taken before. */
    private final long rememberingSince;

    /**
     * @param started when this begins to remember nonces
     * @param maxNonces how many it remembers at most, {@link #MAX_NONCES} but in tests
     * @param maxNoncesPerKey how many of them one key may hold, {@link #MAX_NONCES_PER_KEY} but in tests
     */
    RequestSignatures(Instant started, int maxNonces, int maxNoncesPerKey) {
        this.nonces = new NonceLog(maxNonces, maxNoncesPerKey);
        this.rememberingSince = started.getEpochSecond() + (started.getNano() == 0 ? 0 : 1);
    }

    /** Reads the header's parts. */
    static Parts parse(String authorization) throws Refused {
        String parameters = authorization.substring(SignedRequest.SCHEME.length()).strip();
        Map<String, String> values = new HashMap<>();
        Matcher matcher = PARAMETER.matcher(parameters);
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            values.put(matcher.group(1), matcher.group(2));
            end = matcher.end();
        }
        if (end != parameters.length() || !values.keySet().equals(Set.of("key", "created", "nonce", "signature"))) {
            throw new Refused("malformed header: expected key, created, nonce and signature");
        }
        if (!KEY.matcher(values.get("key")).matches()) {
            throw new Refused("the key is not an OpenSSH SHA256 fingerprint");
        }
        if (!CREATED.matcher(values.get("created")).matches()) {
            throw new Refused("the created time is not Unix seconds");
        }
        if (!NONCE.matcher(values.get("nonce")).matches()) {
            throw new Refused("the nonce is not 16 or more bytes of base64url");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(values.get("signature"));
        } catch (IllegalArgumentException e) {
            throw new Refused("the signature is not base64");
        }
        if (signature.length != SIGNATURE_BYTES) {
            throw new Refused("the signature is not " + SIGNATURE_BYTES + " bytes");
        }
        return new Parts(values.get("key"), Long.parseLong(values.get("created")), values.get("nonce"), signature);
    }

    /**
     * Checks a request's time, that its nonce could be taken, its signature, that it was signed since
     * this began to remember nonces, then takes its nonce.
     *
     * @throws Refused if the request was signed too long ago or ahead, or before this began to
     *     remember nonces, the signature does not hold, or the nonce was seen before
     * @throws TooManyRequestsException if the nonces remembered, or the key's share of them, are at
     *     their bound; before the signature is checked
     */
    void verify(Parts parts, Ed25519Key key, SignedRequest request, Instant now) throws Refused {
        Instant created = Instant.ofEpochSecond(parts.created());
        if (created.isBefore(now.minus(WINDOW)) || created.isAfter(now.plus(WINDOW))) {
            throw new Refused("signed at " + created + ", more than " + WINDOW.toSeconds()
                    + " s from the server's clock");
        }
        checkRoom(parts.key(), now.getEpochSecond());
        byte[] text;
        try {
            text = signedText(parts, request).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new Refused("the signature cannot be checked: " + e.getMessage());
        }
        if (!key.verifies(text, parts.signature())) {
            throw new Refused("the signature does not match the request");
        }
        // Only after the signature holds: this refusal is not counted as a guess, so a forged request
        // must not get it.
        if (parts.created() < rememberingSince) {
            throw new Refused("signed at " + created + ", before the server started remembering nonces at "
                    + Instant.ofEpochSecond(rememberingSince) + ": perhaps a replay",
                    "the request was signed before the server started; sign it again", true);
        }
        remember(parts, created.plus(WINDOW), now.getEpochSecond());
    }

    /** The text the agent signed. */
    static String signedText(Parts parts, SignedRequest request) throws GeneralSecurityException {
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(request.body()));
        return String.join("\n", "hanse-agent-request-v1", request.method(), request.target(),
                Long.toString(parts.created()), parts.nonce(), digest);
    }

    private synchronized void checkRoom(String key, long now) {
        refuseWithoutRoom(nonces.room(key, now), now);
    }

    private synchronized void remember(Parts parts, Instant forgetAfter, long now) throws Refused {
        Taken taken = nonces.take(parts.key(), parts.nonce(), forgetAfter.getEpochSecond(), now);
        if (taken == Taken.SEEN) {
            throw new Refused("the nonce was used before: a replayed request");
        }
        refuseWithoutRoom(taken, now);
    }

    /** Under the lock. */
    private void refuseWithoutRoom(Taken taken, long now) {
        String window = " in the last " + WINDOW.toMinutes() + " minutes; try again after Retry-After";
        switch (taken) {
            case FULL -> throw new TooManyRequestsException("too many signed requests from all agents" + window,
                    retryAfter(nonces.oldestForgetAfter() + 1 - now));
            case KEY_FULL -> throw new TooManyRequestsException("too many signed requests with this key" + window,
                    retryAfter(0));
            case NEW, SEEN -> {
            }
        }
    }

    /** At least {@code seconds} and {@link #MIN_RETRY_AFTER}, and as much again at random. */
    private static Duration retryAfter(long seconds) {
        long wait = Math.max(MIN_RETRY_AFTER.toSeconds(), seconds);
        return Duration.ofSeconds(wait + ThreadLocalRandom.current().nextLong(wait + 1));
    }
}
