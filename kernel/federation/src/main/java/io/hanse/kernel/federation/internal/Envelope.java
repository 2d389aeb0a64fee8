package io.hanse.kernel.federation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.InvalidRequestException;
import io.hanse.kernel.security.Ed25519Key;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One frame between peers, signed by its sender's {@link InstanceKey}. On the wire it is the
 * canonical JSON ({@link CanonicalJson}) of an object with exactly the members {@code sender,
 * recipient, link, seq, time, type, body, signature}; the signature is over the SHA-256
 * ({@link #digest}) of the canonical JSON of the same object without {@code signature}, so a frame
 * verifies whatever white space or member order it travelled in.
 *
 * <p>Every envelope that exists is well-formed (the constructor checks each component). It is
 * immutable: the constructor copies {@code body} and {@code signature}, and their accessors return
 * copies, so neither the creator nor a reader can change what was signed. Read the body once if it
 * is large.
 *
 * @param sender the sending instance's name; informational, since the link identifies the peer
 * @param recipient the receiving instance's name; empty only in the first hello of the side that was
 *     dialed, which goes out before it knows who dialed
 * @param link the peering's id, the same on both sides
 * @param seq the position in this link and direction, not negative; 0 for handshake and control frames
 * @param time when it was signed, to the millisecond (finer precision is cut off)
 * @param type a lower-case word or dot-separated words, such as {@code hello} or
 *     {@code tickets.mirror}; at most {@value #MAX_TYPE} characters
 * @param body the content
 * @param signature the sender's 64-byte Ed25519 signature
 */
record Envelope(String sender, String recipient, UUID link, long seq, Instant time, String type, ObjectNode body,
        byte[] signature) {

    static final int MAX_TYPE = 100;
    static final int SIGNATURE_BYTES = 64;

    private static final Pattern TYPE = Pattern.compile("[a-z]+(?:\\.[a-z]+)*");
    private static final Set<String> FIELDS = Set.of("sender", "recipient", "link", "seq", "time", "type", "body",
            "signature");
    /** ISO-8601 in UTC with exactly three fractional digits, such as 2025-01-31T12:00:00.000Z. */
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendInstant(3)
            .toFormatter(Locale.ROOT);

    /**
     * Holds the body it is given, not a copy, as {@link #sign} and {@link #parse} give it one that
     * nobody else holds: a batch's body is copied once on its way out and not at all on its way in.
     *
     * @throws InvalidRequestException naming the component that is missing or malformed
     */
    Envelope {
        sender = name("sender", sender);
        recipient = "".equals(recipient) ? recipient : name("recipient", recipient);
        if (link == null) {
            throw new InvalidRequestException("the frame lacks its link");
        }
        if (seq < 0) {
            throw new InvalidRequestException("the frame's seq must not be negative, not " + seq);
        }
        if (time == null) {
            throw new InvalidRequestException("the frame lacks its time");
        }
        time = time.truncatedTo(ChronoUnit.MILLIS);
        if (type == null || type.length() > MAX_TYPE || !TYPE.matcher(type).matches()) {
            throw new InvalidRequestException("the frame's type must be a lower-case word or dot-separated words of"
                    + " at most " + MAX_TYPE + " characters, such as tickets.mirror");
        }
        if (body == null) {
            throw new InvalidRequestException("the frame lacks its body");
        }
        if (signature == null || signature.length != SIGNATURE_BYTES) {
            throw new InvalidRequestException("the frame's signature must be " + SIGNATURE_BYTES + " bytes");
        }
        signature = signature.clone();
    }

    /**
     * Returns a signed envelope.
     *
     * @param time cut to the millisecond before signing, as the wire carries it
     * @throws InvalidRequestException if a component is malformed or the body has no canonical form
     *     (see {@link CanonicalJson#bytes(JsonNode)})
     */
    static Envelope sign(String sender, String recipient, UUID link, long seq, Instant time, String type,
            ObjectNode body, InstanceKey key) {
        // Built first with a blank signature so that the constructor checks what is signed.
        Envelope unsigned = new Envelope(sender, recipient, link, seq, time, type,
                body == null ? null : body.deepCopy(), new byte[SIGNATURE_BYTES]);
        byte[] signature = key.sign(digest(unsigned.text(CanonicalJson.text(unsigned.body), null)));
        return new Envelope(sender, recipient, link, seq, unsigned.time, type, unsigned.body, signature);
    }

    /**
     * Returns a signed frame, as {@code sign(…).frame()} would, for a body given as its canonical
     * JSON text: as the outbox keeps messages, so that they are not read and written again on their
     * way out. A body that is not the canonical JSON of an object makes a frame that does not verify.
     *
     * @throws InvalidRequestException if a component is malformed
     */
    static String frame(String sender, String recipient, UUID link, long seq, Instant time, String type,
            String canonicalBody, InstanceKey key) {
        Envelope unsigned = new Envelope(sender, recipient, link, seq, time, type,
                JsonNodeFactory.instance.objectNode(), new byte[SIGNATURE_BYTES]);
        byte[] signature = key.sign(digest(unsigned.text(canonicalBody, null)));
        return unsigned.text(canonicalBody, signature);
    }

    /** Returns the frame to send: the canonical JSON of all members. */
    String frame() {
        return text(CanonicalJson.text(body), signature);
    }

    /**
     * Reads a frame.
     *
     * @param maxBytes the largest frame accepted, in bytes of UTF-8
     * @throws InvalidRequestException naming what is wrong: too large, not a JSON object, a member
     *     missing, unknown or of the wrong type, or a malformed value
     */
    static Envelope parse(String frame, int maxBytes) {
        if (frame == null) {
            throw new InvalidRequestException("the frame is empty");
        }
        if (CanonicalJson.exceeds(frame, maxBytes)) {
            throw new InvalidRequestException("the frame is larger than the limit of " + maxBytes + " bytes");
        }
        ObjectNode json;
        try {
            json = CanonicalJson.parseObject(frame, maxBytes);
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException("the frame is not acceptable JSON: " + e.getMessage(), e);
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidRequestException("the frame has an unknown member '" + shorten(name) + "'");
            }
        }
        JsonNode body = member(json, "body");
        if (!body.isObject()) {
            throw new InvalidRequestException("the frame's body must be an object, not " + CanonicalJson.kind(body));
        }
        return new Envelope(text(json, "sender"), text(json, "recipient"), link(text(json, "link")), seq(json),
                time(text(json, "time")), text(json, "type"), (ObjectNode) body, signature(text(json, "signature")));
    }

    /**
     * Returns whether the envelope was signed with the private key of this public key, over exactly
     * what it holds now.
     *
     * @throws InvalidRequestException if the body has no canonical form, so cannot have been signed
     */
    boolean verifiedBy(Ed25519Key key) {
        return key.verifies(digest(text(CanonicalJson.text(body), null)), signature);
    }

    /**
     * What is signed: the SHA-256 of the canonical JSON's UTF-8, rather than the JSON itself, since
     * Ed25519 hashes what it signs twice with SHA-512, which for a frame of hundreds of kilobytes
     * took several times as long as this digest, which processors compute in hardware.
     */
    private static byte[] digest(String canonical) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Returns a copy of the body; changing it changes nothing here. */
    @Override
    public ObjectNode body() {
        return body.deepCopy();
    }

    /** Returns a copy of the signature. */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Envelope that && seq == that.seq && sender.equals(that.sender)
                && recipient.equals(that.recipient) && link.equals(that.link) && time.equals(that.time)
                && type.equals(that.type) && body.equals(that.body) && Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sender, recipient, link, seq, time, type, body) * 31 + Arrays.hashCode(signature);
    }

    /** Shows the members, with the body cut to 200 characters. */
    @Override
    public String toString() {
        return "Envelope[sender=" + sender + ", recipient=" + recipient + ", link=" + link + ", seq=" + seq
                + ", time=" + TIME.format(time) + ", type=" + type + ", body=" + shorten(body.toString())
                + ", signature=" + Base64.getEncoder().encodeToString(signature) + "]";
    }

    /**
     * Returns the canonical JSON of the members, with this canonical text of the body, and without
     * the signature if it is {@code null}: what the signature covers. The constructor admits only
     * values that have one written form, so this is what {@link CanonicalJson} writes for them.
     */
    private String text(String canonicalBody, byte[] signed) {
        StringBuilder out = new StringBuilder(canonicalBody.length() + 320);
        out.append("{\"body\":").append(canonicalBody).append(",\"link\":\"").append(link).append("\",\"recipient\":");
        CanonicalJson.string(recipient, out);
        out.append(",\"sender\":");
        CanonicalJson.string(sender, out);
        out.append(",\"seq\":").append(seq);
        if (signed != null) {
            out.append(",\"signature\":\"").append(Base64.getEncoder().encodeToString(signed)).append('"');
        }
        out.append(",\"time\":\"").append(TIME.format(time)).append("\",\"type\":");
        CanonicalJson.string(type, out);
        return out.append('}').toString();
    }

    private static String name(String member, String name) {
        if (name == null || !Invitation.INSTANCE_NAME.matcher(name).matches()) {
            throw new InvalidRequestException("the frame's " + member + " must be an instance name: 1 to 63"
                    + " lower-case letters, digits and dashes, starting and ending with a letter or digit");
        }
        return name;
    }

    private static JsonNode member(ObjectNode json, String name) {
        JsonNode value = json.get(name);
        if (value == null) {
            throw new InvalidRequestException("the frame lacks its " + name);
        }
        return value;
    }

    private static String text(ObjectNode json, String name) {
        JsonNode value = member(json, name);
        if (!value.isTextual()) {
            throw new InvalidRequestException("the frame's " + name + " must be a string, not "
                    + CanonicalJson.kind(value));
        }
        return value.textValue();
    }

    private static long seq(ObjectNode json) {
        JsonNode value = member(json, "seq");
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidRequestException("the frame's seq must be a whole number, not "
                    + (value.isNumber() ? CanonicalJson.number(value) : CanonicalJson.kind(value)));
        }
        return value.longValue();
    }

    /** Only the lower-case form that {@link UUID#toString()} writes, since the signature covers that. */
    private static UUID link(String text) {
        String rule = "the frame's link must be a UUID in lower case, such as 123e4567-e89b-12d3-a456-426614174000";
        UUID link;
        try {
            link = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(rule, e);
        }
        if (!link.toString().equals(text)) {
            throw new InvalidRequestException(rule);
        }
        return link;
    }

    /** Only the form {@link #TIME} writes, since the signature covers that. */
    private static Instant time(String text) {
        String rule = "the frame's time must be an ISO-8601 UTC time with milliseconds, such as"
                + " 2025-01-31T12:00:00.000Z";
        Instant time;
        try {
            time = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(rule, e);
        }
        if (!TIME.format(time).equals(text)) {
            throw new InvalidRequestException(rule);
        }
        return time;
    }

    /** Standard base64 with padding and no line breaks, exactly as {@link #frame()} writes it. */
    private static byte[] signature(String text) {
        String rule = "the frame's signature must be " + SIGNATURE_BYTES + " bytes in standard base64";
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(rule, e);
        }
        if (signature.length != SIGNATURE_BYTES || !Base64.getEncoder().encodeToString(signature).equals(text)) {
            throw new InvalidRequestException(rule);
        }
        return signature;
    }

    private static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
