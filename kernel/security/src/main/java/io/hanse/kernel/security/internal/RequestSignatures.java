package io.hanse.kernel.security.internal;

import io.hanse.api.TooManyRequestsException;
import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.security.SignedRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks signed requests (see {@code docs/agent-protocol.md}): the header's parts, the time of
 * signing, the signature over the request, and that no nonce is used twice while its request
 * would still be accepted.
 */
final class RequestSignatures {

    /** How far the time of signing may be from the server's clock, either way. */
    static final Duration WINDOW = Duration.ofMinutes(5);
    /**
     * How many nonces are remembered at most: some 400 signed requests a second for the ten minutes a
     * nonce must be kept. Past it, requests are refused rather than remembered loosely.
     */
    static final int MAX_NONCES = 250_000;
    private static final Pattern PARAMETER = Pattern.compile("\\s*([a-z]+)=\"([^\"]*)\"\\s*(?:,|$)");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22,128}");

    /** Why a request was refused: said in the audit log, never to the caller. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The parts of a {@code Hanse-Signature} header. */
    record Parts(String key, long created, String nonce, byte[] signature) {
    }

    /** Nonces seen, with the time after which each may be forgotten, oldest first; guarded by {@code this}. */
    private final Set<String> nonces = new HashSet<>();
    private final Deque<Map.Entry<String, Instant>> expiries = new ArrayDeque<>();

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
        if (!NONCE.matcher(values.get("nonce")).matches()) {
            throw new Refused("the nonce is not 16 or more bytes of base64url");
        }
        try {
            return new Parts(values.get("key"), Long.parseLong(values.get("created")), values.get("nonce"),
                    Base64.getDecoder().decode(values.get("signature")));
        } catch (IllegalArgumentException e) {
            throw new Refused("malformed created time or signature");
        }
    }

    /**
     * Checks a request's time and signature, then takes its nonce.
     *
     * @throws Refused if the request was signed too long ago or ahead, the signature does not hold, or
     *     the nonce was seen before
     * @throws TooManyRequestsException if the nonces remembered are at their bound
     */
    void verify(Parts parts, Ed25519Key key, SignedRequest request, Instant now) throws Refused {
        Instant created = Instant.ofEpochSecond(parts.created());
        if (created.isBefore(now.minus(WINDOW)) || created.isAfter(now.plus(WINDOW))) {
            throw new Refused("signed at " + created + ", more than " + WINDOW.toSeconds()
                    + " s from the server's clock");
        }
        byte[] text;
        try {
            text = signedText(parts, request).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new Refused("the signature cannot be checked: " + e.getMessage());
        }
        if (!key.verifies(text, parts.signature())) {
            throw new Refused("the signature does not match the request");
        }
        remember(parts.key() + ' ' + parts.nonce(), created.plus(WINDOW), now);
    }

    /** The text the agent signed. */
    static String signedText(Parts parts, SignedRequest request) throws GeneralSecurityException {
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(request.body()));
        return String.join("\n", "hanse-agent-request-v1", request.method(), request.target(),
                Long.toString(parts.created()), parts.nonce(), digest);
    }

    private synchronized void remember(String nonce, Instant forgetAfter, Instant now) throws Refused {
        while (!expiries.isEmpty() && expiries.peekFirst().getValue().isBefore(now)) {
            nonces.remove(expiries.removeFirst().getKey());
        }
        if (nonces.size() >= MAX_NONCES) {
            throw new TooManyRequestsException("too many signed requests in the last " + WINDOW.toMinutes()
                    + " minutes; try again shortly", WINDOW);
        }
        if (!nonces.add(nonce)) {
            throw new Refused("the nonce was used before: a replayed request");
        }
        expiries.addLast(Map.entry(nonce, forgetAfter));
    }
}
