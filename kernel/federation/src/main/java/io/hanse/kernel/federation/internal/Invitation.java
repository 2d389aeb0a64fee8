package io.hanse.kernel.federation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.InvalidRequestException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A one-time invitation to peer with the instance that issued it, passed on by people as text such
 * as {@code hanse-invitation:eyJ…}. It says where the issuer is, which key it must show, and carries
 * the secret that lets the invitee join once; the issuer keeps only {@link #secretHash()}.
 * Every invitation that exists is well-formed: the constructor checks each field.
 *
 * @param url where the issuer is reached: http or https with a host, without a trailing slash
 * @param instance the issuer's instance name
 * @param fingerprint the issuer's key, as {@link io.hanse.kernel.security.Ed25519Key#fingerprint()}
 * @param id the invitation's id, which becomes the peering's link id
 * @param secret 256 random bits, base64url without padding
 * @param expires when it can no longer be redeemed
 */
record Invitation(String url, String instance, String fingerprint, UUID id, String secret, Instant expires) {

    /** What every encoded invitation starts with. */
    static final String PREFIX = "hanse-invitation:";

    /** Instance names: as the kernel's rule, 1 to 63 lower-case letters, digits and dashes. */
    static final Pattern INSTANCE_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    /** Secrets: 256 bits, base64url without padding. */
    static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    private static final int SECRET_BYTES = 32;
    private static final int MAX_URL = 2000;
    /** Far above any real invitation, which is about 400 characters. */
    private static final int MAX_TEXT = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @throws InvalidRequestException naming the field that is missing or malformed
     */
    Invitation {
        url = checkUrl(url);
        if (instance == null || !INSTANCE_NAME.matcher(instance).matches()) {
            throw new InvalidRequestException("the invitation's instance name must be 1 to 63 lower-case letters,"
                    + " digits and dashes, starting and ending with a letter or digit");
        }
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
            throw new InvalidRequestException("the invitation's fingerprint must be a key fingerprint such as"
                    + " SHA256:4X1b…, 50 characters");
        }
        if (id == null) {
            throw new InvalidRequestException("the invitation lacks its id");
        }
        if (secret == null || !SECRET.matcher(secret).matches()) {
            throw new InvalidRequestException("the invitation's secret must be 43 characters of base64url");
        }
        if (expires == null) {
            throw new InvalidRequestException("the invitation lacks its expiry");
        }
    }

    /**
     * Issues a new invitation with a fresh id and secret.
     *
     * @param validFor how long it may be redeemed; positive
     * @throws InvalidRequestException if a field is malformed or {@code validFor} is not positive
     */
    static Invitation create(String url, String instance, String fingerprint, Duration validFor, Clock clock) {
        if (validFor == null || validFor.isNegative() || validFor.isZero()) {
            throw new InvalidRequestException("an invitation must be valid for some time, not " + validFor);
        }
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return new Invitation(url, instance, fingerprint, UUID.randomUUID(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                clock.instant().plus(validFor).truncatedTo(ChronoUnit.MILLIS));
    }

    /** Returns the text to pass on: {@value #PREFIX} and the base64url of its compact JSON. */
    String encode() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("url", url);
        json.put("instance", instance);
        json.put("fingerprint", fingerprint);
        json.put("id", id.toString());
        json.put("secret", secret);
        json.put("expires", expires.toString());
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(CanonicalJson.bytes(json));
    }

    /**
     * Reads an invitation as {@link #encode()} wrote it. White space anywhere is ignored, since
     * terminals and mail break long lines; members this version does not know are ignored too, so
     * that newer issuers can add some.
     *
     * @throws InvalidRequestException saying what is wrong: not an invitation at all, or which field
     *     is missing or malformed
     */
    static Invitation decode(String text) {
        String compact = text == null ? "" : text.replaceAll("\\s+", "");
        if (!compact.startsWith(PREFIX)) {
            throw new InvalidRequestException("not a Hanse invitation: one starts with " + PREFIX);
        }
        if (compact.length() > MAX_TEXT) {
            throw new InvalidRequestException("not a Hanse invitation: it is longer than " + MAX_TEXT + " characters");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(compact.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("not a Hanse invitation: the text after " + PREFIX + " is not base64url");
        }
        ObjectNode json;
        try {
            json = CanonicalJson.parseObject(new String(raw, StandardCharsets.UTF_8), MAX_TEXT);
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException("not a Hanse invitation: " + e.getMessage(), e);
        }
        String id = field(json, "id");
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("the invitation's id is not a UUID");
        }
        Instant expires;
        try {
            expires = Instant.parse(field(json, "expires"));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("the invitation's expiry is not an ISO-8601 time such as"
                    + " 2025-01-31T12:00:00Z");
        }
        return new Invitation(field(json, "url"), field(json, "instance"), field(json, "fingerprint"), uuid,
                field(json, "secret"), expires);
    }

    /** Returns the hex SHA-256 of the secret: what the issuer stores to recognise it. */
    String secretHash() {
        return hash(secret);
    }

    /**
     * Returns the lower-case hex SHA-256 of a secret's UTF-8 text, as {@link #secretHash()}.
     *
     * @throws InvalidRequestException if there is no secret
     */
    static String hash(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new InvalidRequestException("the invitation secret is missing");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Returns whether the invitation can no longer be redeemed at that time: at or after its expiry. */
    boolean expiredAt(Instant time) {
        return !time.isBefore(expires);
    }

    /**
     * Checks a base URL under which an instance is reached.
     *
     * @return the URL without trailing slashes, so that paths can be appended
     * @throws InvalidRequestException if it is not http or https with a host, or carries a user,
     *     query or fragment
     */
    static String checkUrl(String url) {
        String rule = "the url must be http or https with a host, such as https://hanse.example.org";
        if (url == null || url.isBlank() || url.length() > MAX_URL) {
            throw new InvalidRequestException(rule);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException(rule + "; this is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidRequestException(rule);
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidRequestException(rule + ", without user, query or fragment");
        }
        return url.replaceAll("/+$", "");
    }

    /** Shows everything but the secret. */
    @Override
    public String toString() {
        return "Invitation[url=" + url + ", instance=" + instance + ", fingerprint=" + fingerprint + ", id=" + id
                + ", expires=" + expires + "]";
    }

    private static String field(ObjectNode json, String name) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            throw new InvalidRequestException("the invitation lacks its " + name);
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException("the invitation's " + name + " must be a string, not "
                    + CanonicalJson.kind(value));
        }
        return Objects.requireNonNull(value.textValue());
    }
}
