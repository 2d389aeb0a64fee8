package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static final InstanceKey FRA = InstanceKey.generate("fra");
    private static final InstanceKey HAM = InstanceKey.generate("ham");
    private static final UUID LINK = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    private static final Instant TIME = Instant.parse("2025-01-31T12:00:00.123456789Z");
    private static final int MAX = 65_536;

    @Test
    void signsAndVerifiesThroughTheWire() {
        Envelope sent = envelope();

        Envelope received = Envelope.parse(sent.frame(), MAX);

        assertEquals(sent, received);
        assertTrue(received.verifiedBy(FRA.publicKey()));
        assertEquals("fra", received.sender());
        assertEquals("ham", received.recipient());
        assertEquals(LINK, received.link());
        assertEquals(7, received.seq());
        assertEquals(Instant.parse("2025-01-31T12:00:00.123Z"), received.time());
        assertEquals("tickets.mirror", received.type());
        assertEquals(body(), received.body());
        assertEquals(64, received.signature().length);
    }

    @Test
    void writesTheFrameAsCanonicalJson() {
        Envelope sent = envelope();
        String signature = Base64.getEncoder().encodeToString(sent.signature());

        assertEquals("{\"body\":{\"amount\":2.5,\"list\":[3,1,2],\"nonce\":\"n-1\",\"\u00fcber\":\"gr\u00fc\u00dfe\"},"
                + "\"link\":\"123e4567-e89b-12d3-a456-426614174000\",\"recipient\":\"ham\","
                + "\"sender\":\"fra\",\"seq\":7,"
                + "\"signature\":\"" + signature + "\",\"time\":\"2025-01-31T12:00:00.123Z\","
                + "\"type\":\"tickets.mirror\"}",
                sent.frame());
        assertTrue(signature.endsWith("=="), signature);
    }

    @Test
    void writesTheSameFrameFromTheBodysCanonicalText() {
        String frame = Envelope.frame("fra", "ham", LINK, 7, TIME, "tickets.mirror", CanonicalJson.text(body()), FRA);

        assertEquals(envelope().frame(), frame);
        assertTrue(Envelope.parse(frame, MAX).verifiedBy(FRA.publicKey()));
    }

    @Test
    void signsTheDigestOfExactlyTheCanonicalBytesWithoutTheSignature() throws Exception {
        Envelope sent = envelope();
        ObjectNode unsigned = CanonicalJson.parseObject(sent.frame(), MAX);
        unsigned.remove("signature");

        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(CanonicalJson.bytes(unsigned));
        assertTrue(FRA.publicKey().verifies(digest, sent.signature()));
    }

    @Test
    void writesTimeWithMillisecondsEvenWhenTheyAreZero() {
        Envelope sent = Envelope.sign("fra", "ham", LINK, 0, Instant.parse("2025-01-31T12:00:00Z"), "hello",
                JsonNodeFactory.instance.objectNode(), FRA);

        assertTrue(sent.frame().contains("\"time\":\"2025-01-31T12:00:00.000Z\""), sent.frame());
        assertTrue(Envelope.parse(sent.frame(), MAX).verifiedBy(FRA.publicKey()));
    }

    @Test
    void stillVerifiesWhenReserialisedInAnotherOrderWithWhiteSpace() throws JsonProcessingException {
        String frame = envelope().frame();
        JsonNode original = new ObjectMapper().readTree(frame);
        String pretty = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(reversed(original));
        assertTrue(pretty.indexOf("\"type\"") < pretty.indexOf("\"body\""), pretty);
        assertTrue(pretty.contains("\n"), pretty);

        Envelope received = Envelope.parse(pretty, MAX);

        assertTrue(received.verifiedBy(FRA.publicKey()));
    }

    @Test
    void stillVerifiesWithNumbersAndStringsWrittenOtherwise() {
        String frame = envelope().frame()
                .replace("\"amount\":2.5", "\"amount\" : 25.000E-1")
                .replace("\"\u00fcber\"", "\"\\u00fcber\"")
                .replace("\"seq\":7", "\"seq\": 7 ");

        assertTrue(frame.contains("25.000E-1") && frame.contains("\\u00fcber"), frame);
        assertTrue(Envelope.parse(frame, MAX).verifiedBy(FRA.publicKey()));
    }

    @Test
    void refusesATamperedBody() {
        assertFalse(tampered(json -> ((ObjectNode) json.get("body")).put("amount", 3)).verifiedBy(FRA.publicKey()));
        assertFalse(tampered(json -> ((ObjectNode) json.get("body")).put("extra", true)).verifiedBy(FRA.publicKey()));
        assertFalse(tampered(json -> ((ArrayNode) json.get("body").get("list")).add(4)).verifiedBy(FRA.publicKey()));
    }

    @Test
    void refusesATamperedSeq() {
        assertFalse(tampered(json -> json.put("seq", 8)).verifiedBy(FRA.publicKey()));
    }

    @Test
    void refusesATamperedType() {
        assertFalse(tampered(json -> json.put("type", "tickets.delete")).verifiedBy(FRA.publicKey()));
    }

    @Test
    void refusesATamperedLink() {
        assertFalse(tampered(json -> json.put("link", UUID.randomUUID().toString())).verifiedBy(FRA.publicKey()));
    }

    @Test
    void refusesOtherTamperedMembers() {
        assertFalse(tampered(json -> json.put("time", "2025-01-31T12:00:00.124Z")).verifiedBy(FRA.publicKey()));
        assertFalse(tampered(json -> json.put("recipient", "muc")).verifiedBy(FRA.publicKey()));
        assertFalse(tampered(json -> json.put("sender", "muc")).verifiedBy(FRA.publicKey()));
    }

    @Test
    void refusesAChangedSignature() {
        Envelope sent = envelope();
        byte[] changed = sent.signature();
        changed[10] ^= 1;

        Envelope forged = tampered(json -> json.put("signature", Base64.getEncoder().encodeToString(changed)));

        assertFalse(forged.verifiedBy(FRA.publicKey()));
    }

    @Test
    void refusesASignatureByAnotherKey() {
        Envelope byHam = Envelope.sign("fra", "ham", LINK, 7, TIME, "tickets.mirror", body(), HAM);

        assertFalse(envelope().verifiedBy(HAM.publicKey()));
        assertFalse(Envelope.parse(byHam.frame(), MAX).verifiedBy(FRA.publicKey()));
        assertTrue(Envelope.parse(byHam.frame(), MAX).verifiedBy(HAM.publicKey()));
    }

    @Test
    void refusesOversizedFrames() {
        String frame = envelope().frame();
        int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes > frame.length(), "the body holds characters of more than one byte");

        assertTrue(Envelope.parse(frame, bytes).verifiedBy(FRA.publicKey()));
        InvalidRequestException thrown = assertThrows(InvalidRequestException.class,
                () -> Envelope.parse(frame, bytes - 1));
        assertEquals("the frame is larger than the limit of " + (bytes - 1) + " bytes", thrown.getMessage());
    }

    @Test
    void refusesMissingMembers() {
        for (String member : List.of("sender", "recipient", "link", "seq", "time", "type", "body", "signature")) {
            assertRefused("the frame lacks its " + member, json -> json.remove(member));
        }
    }

    @Test
    void refusesMistypedMembers() {
        assertRefused("the frame's seq must be a whole number, not a string", json -> json.put("seq", "7"));
        assertRefused("the frame's seq must be a whole number, not 7.5", json -> json.put("seq", 7.5));
        assertRefused("the frame's seq must be a whole number, not 99999999999999999999",
                json -> json.put("seq", new java.math.BigInteger("99999999999999999999")));
        assertRefused("the frame's sender must be a string, not a number", json -> json.put("sender", 1));
        assertRefused("the frame's link must be a string, not null", json -> json.putNull("link"));
        assertRefused("the frame's body must be an object, not an array", json -> json.putArray("body"));
        assertRefused("the frame's body must be an object, not a string", json -> json.put("body", "{}"));
        assertRefused("the frame's signature must be a string, not a number", json -> json.put("signature", 0));
    }

    @Test
    void refusesANegativeSeq() {
        assertRefused("the frame's seq must not be negative, not -1", json -> json.put("seq", -1));
        assertThrows(InvalidRequestException.class,
                () -> Envelope.sign("fra", "ham", LINK, -1, TIME, "event", body(), FRA));
    }

    @Test
    void refusesBadTypes() {
        for (String type : List.of("Hello", "tickets..mirror", ".hello", "hello.", "tickets_mirror", "tickets-mirror",
                "event2", "", "a".repeat(101))) {
            assertRefused("the frame's type must be", json -> json.put("type", type));
        }
        assertEquals("a".repeat(100),
                Envelope.sign("fra", "ham", LINK, 0, TIME, "a".repeat(100), body(), FRA).type());
        assertEquals("x.y.z", Envelope.sign("fra", "ham", LINK, 0, TIME, "x.y.z", body(), FRA).type());
    }

    @Test
    void refusesBadValues() {
        assertRefused("the frame's link must be a UUID", json -> json.put("link", "not-a-uuid"));
        assertRefused("the frame's link must be a UUID", json -> json.put("link", LINK.toString().toUpperCase()));
        assertRefused("the frame's time must be an ISO-8601 UTC time with milliseconds",
                json -> json.put("time", "2025-01-31T12:00:00Z"));
        assertRefused("the frame's time must be an ISO-8601 UTC time with milliseconds",
                json -> json.put("time", "2025-01-31T13:00:00.123+01:00"));
        assertRefused("the frame's time must be an ISO-8601 UTC time with milliseconds",
                json -> json.put("time", "yesterday"));
        assertRefused("the frame's sender must be an instance name", json -> json.put("sender", "Fra"));
        assertRefused("the frame's recipient must be an instance name", json -> json.put("recipient", "Ham"));
    }

    @Test
    void refusesBadBase64Signatures() {
        String valid = Base64.getEncoder().encodeToString(envelope().signature());

        assertRefused("the frame's signature must be 64 bytes in standard base64",
                json -> json.put("signature", "!!!not base64!!!"));
        assertRefused("the frame's signature must be 64 bytes in standard base64",
                json -> json.put("signature", valid.replace('+', '-').replace('/', '_').replace("=", "") + "x"));
        assertRefused("the frame's signature must be 64 bytes in standard base64",
                json -> json.put("signature", valid.substring(0, 40) + "\n" + valid.substring(40)));
        assertRefused("the frame's signature must be 64 bytes in standard base64",
                json -> json.put("signature", Base64.getEncoder().encodeToString(new byte[63])));
        assertRefused("the frame's signature must be 64 bytes in standard base64",
                json -> json.put("signature", valid.replace("==", "")));
    }

    @Test
    void refusesUnknownMembers() {
        assertRefused("the frame has an unknown member 'extra'", json -> json.put("extra", 1));
    }

    @Test
    void refusesWhatIsNotAnObjectOrNotJson() {
        assertThrows(InvalidRequestException.class, () -> Envelope.parse("[]", MAX));
        assertThrows(InvalidRequestException.class, () -> Envelope.parse("{\"sender\":", MAX));
        assertThrows(InvalidRequestException.class, () -> Envelope.parse(null, MAX));
        String duplicate = envelope().frame().replace("\"seq\":7", "\"seq\":7,\"seq\":8");
        InvalidRequestException thrown = assertThrows(InvalidRequestException.class,
                () -> Envelope.parse(duplicate, MAX));
        assertTrue(thrown.getMessage().startsWith("the frame is not acceptable JSON"), thrown.getMessage());
    }

    @Test
    void keepsWhatWasSignedFromChanges() {
        ObjectNode body = body();
        Envelope sent = Envelope.sign("fra", "ham", LINK, 7, TIME, "tickets.mirror", body, FRA);

        body.put("amount", 1000);
        sent.body().put("nonce", "changed");
        sent.signature()[0] ^= 1;

        assertEquals(body(), sent.body());
        assertTrue(sent.verifiedBy(FRA.publicKey()));
        assertEquals(sent, Envelope.parse(sent.frame(), MAX));
    }

    @Test
    void copiesTheSignatureItIsGiven() {
        Envelope sent = envelope();
        byte[] signature = sent.signature();
        Envelope copy = new Envelope("fra", "ham", LINK, 7, TIME, "tickets.mirror", body(), signature);

        signature[0] ^= 1;

        assertTrue(copy.verifiedBy(FRA.publicKey()));
        assertEquals(sent.hashCode(), copy.hashCode());
    }

    @Test
    void showsItsMembersInToString() {
        String text = envelope().toString();

        assertTrue(text.startsWith("Envelope[sender=fra, recipient=ham, link=" + LINK + ", seq=7,"
                + " time=2025-01-31T12:00:00.123Z, type=tickets.mirror, body={"), text);
        assertTrue(text.contains("signature=" + Base64.getEncoder().encodeToString(envelope().signature())), text);
    }

    private static Envelope envelope() {
        return Envelope.sign("fra", "ham", LINK, 7, TIME, "tickets.mirror", body(), FRA);
    }

    private static ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("nonce", "n-1");
        body.put("\u00fcber", "gr\u00fc\u00dfe");
        body.putArray("list").add(3).add(1).add(2);
        body.put("amount", new java.math.BigDecimal("2.50"));
        return body;
    }

    /** The envelope as received after a change to its frame on the way. */
    private static Envelope tampered(Consumer<ObjectNode> change) {
        ObjectNode json = CanonicalJson.parseObject(envelope().frame(), MAX);
        change.accept(json);
        return Envelope.parse(CanonicalJson.text(json), MAX);
    }

    private static void assertRefused(String expected, Consumer<ObjectNode> change) {
        InvalidRequestException thrown = assertThrows(InvalidRequestException.class, () -> tampered(change));
        assertTrue(thrown.getMessage().startsWith(expected), expected + " <> " + thrown.getMessage());
    }

    /** A copy with every object's members in reverse order. */
    private static JsonNode reversed(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.reverse(names);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            names.forEach(name -> copy.set(name, reversed(node.get(name))));
            return copy;
        }
        return node;
    }
}
