package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InvitationTest {

    private static final Instant NOW = Instant.parse("2025-01-31T12:00:00.123Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String FINGERPRINT = InstanceKey.generate("fra").publicKey().fingerprint();

    @Test
    void createsAnInvitationWithAFreshSecret() {
        Invitation invitation = Invitation.create("https://fra.example.org/", "fra", FINGERPRINT,
                Duration.ofHours(24), CLOCK);

        assertEquals("https://fra.example.org", invitation.url());
        assertEquals("fra", invitation.instance());
        assertEquals(FINGERPRINT, invitation.fingerprint());
        assertEquals(NOW.plus(Duration.ofHours(24)), invitation.expires());
        assertEquals(32, Base64.getUrlDecoder().decode(invitation.secret()).length);
        assertTrue(invitation.secret().matches("[A-Za-z0-9_-]{43}"), invitation.secret());
        Invitation another = Invitation.create("https://fra.example.org", "fra", FINGERPRINT, Duration.ofHours(24),
                CLOCK);
        assertNotEquals(invitation.secret(), another.secret());
        assertNotEquals(invitation.id(), another.id());
    }

    @Test
    void refusesAValidityThatIsNotPositive() {
        assertThrows(InvalidRequestException.class,
                () -> Invitation.create("https://fra.example.org", "fra", FINGERPRINT, Duration.ZERO, CLOCK));
        assertThrows(InvalidRequestException.class,
                () -> Invitation.create("https://fra.example.org", "fra", FINGERPRINT, Duration.ofHours(-1), CLOCK));
    }

    @Test
    void encodesAndDecodes() {
        Invitation invitation = Invitation.create("http://10.0.0.5:8181", "fra-1", FINGERPRINT, Duration.ofHours(1),
                CLOCK);

        String text = invitation.encode();

        assertTrue(text.matches("hanse-invitation:[A-Za-z0-9_-]+"), text);
        assertEquals(invitation, Invitation.decode(text));
        String json = new String(Base64.getUrlDecoder().decode(text.substring(Invitation.PREFIX.length())),
                StandardCharsets.UTF_8);
        assertEquals("{\"expires\":\"2025-01-31T13:00:00.123Z\",\"fingerprint\":\"" + FINGERPRINT + "\",\"id\":\""
                + invitation.id() + "\",\"instance\":\"fra-1\",\"secret\":\"" + invitation.secret()
                + "\",\"url\":\"http://10.0.0.5:8181\"}", json);
    }

    @Test
    void decodesDespiteLineBreaksAndSurroundingSpace() {
        Invitation invitation = Invitation.create("https://fra.example.org", "fra", FINGERPRINT, Duration.ofHours(1),
                CLOCK);
        String text = invitation.encode();

        String wrapped = "  " + text.substring(0, 40) + "\n" + text.substring(40, 100) + "\r\n  " + text.substring(100)
                + "\n";

        assertEquals(invitation, Invitation.decode(wrapped));
    }

    @Test
    void ignoresMembersItDoesNotKnow() {
        Invitation decoded = Invitation.decode(encoded(json -> json.put("comment", "from a newer version")));

        assertEquals("fra", decoded.instance());
    }

    @Test
    void refusesWhatIsNotAnInvitation() {
        assertMessage("not a Hanse invitation", null);
        assertMessage("not a Hanse invitation", "");
        assertMessage("not a Hanse invitation", "https://fra.example.org");
        assertMessage("not a Hanse invitation", "hanse-invite:abc");
        assertMessage("is not base64url", "hanse-invitation:abc+/def");
        assertMessage("not a Hanse invitation", "hanse-invitation:" + base64url("[1,2]"));
        assertMessage("not a Hanse invitation", "hanse-invitation:" + base64url("{\"url\":"));
        assertMessage("not a Hanse invitation", "hanse-invitation:" + "A".repeat(5000));
    }

    @Test
    void namesTheMissingField() {
        for (String field : new String[] {"url", "instance", "fingerprint", "id", "secret", "expires"}) {
            assertMessage("lacks its " + field, encoded(json -> json.remove(field)));
        }
        assertMessage("lacks its url", encoded(json -> json.putNull("url")));
    }

    @Test
    void namesTheMalformedField() {
        assertMessage("url must be http or https", encoded(json -> json.put("url", "ftp://fra.example.org")));
        assertMessage("url must be http or https", encoded(json -> json.put("url", "https://")));
        assertMessage("url must be http or https", encoded(json -> json.put("url", "fra.example.org")));
        assertMessage("url must be http or https", encoded(json -> json.put("url", "https://fra example")));
        assertMessage("without user, query or fragment",
                encoded(json -> json.put("url", "https://admin:secret@fra.example.org")));
        assertMessage("without user, query or fragment",
                encoded(json -> json.put("url", "https://fra.example.org?a=1")));
        assertMessage("url must be a string", encoded(json -> json.put("url", 42)));
        assertMessage("instance name must be", encoded(json -> json.put("instance", "Fra")));
        assertMessage("instance name must be", encoded(json -> json.put("instance", "-fra")));
        assertMessage("instance name must be", encoded(json -> json.put("instance", "fra_1")));
        assertMessage("instance name must be", encoded(json -> json.put("instance", "a".repeat(64))));
        assertMessage("fingerprint must be", encoded(json -> json.put("fingerprint", "MD5:00:11")));
        assertMessage("id is not a UUID", encoded(json -> json.put("id", "seven")));
        assertMessage("secret must be", encoded(json -> json.put("secret", "short")));
        assertMessage("expiry is not an ISO-8601 time", encoded(json -> json.put("expires", "tomorrow")));
    }

    @Test
    void acceptsTheLongestInstanceName() {
        String name = "a".repeat(62) + "1";

        assertEquals(name, Invitation.decode(encoded(json -> json.put("instance", name))).instance());
    }

    @Test
    void expiresAtItsExpiry() {
        Invitation invitation = Invitation.create("https://fra.example.org", "fra", FINGERPRINT, Duration.ofHours(1),
                CLOCK);

        assertFalse(invitation.expiredAt(NOW));
        assertFalse(invitation.expiredAt(invitation.expires().minusMillis(1)));
        assertTrue(invitation.expiredAt(invitation.expires()));
        assertTrue(invitation.expiredAt(invitation.expires().plusSeconds(1)));
    }

    @Test
    void hashesTheSecretWithSha256() {
        Invitation invitation = Invitation.create("https://fra.example.org", "fra", FINGERPRINT, Duration.ofHours(1),
                CLOCK);

        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Invitation.hash("abc"));
        assertEquals(Invitation.hash(invitation.secret()), invitation.secretHash());
        assertTrue(invitation.secretHash().matches("[0-9a-f]{64}"), invitation.secretHash());
        assertThrows(InvalidRequestException.class, () -> Invitation.hash(null));
    }

    @Test
    void checksUrls() {
        assertEquals("https://fra.example.org/hanse", Invitation.checkUrl("https://fra.example.org/hanse//"));
        assertEquals("HTTP://fra.example.org:8181", Invitation.checkUrl("HTTP://fra.example.org:8181"));
        assertThrows(InvalidRequestException.class, () -> Invitation.checkUrl("mailto:ops@fra.example.org"));
        assertThrows(InvalidRequestException.class, () -> Invitation.checkUrl(" "));
        assertThrows(InvalidRequestException.class, () -> Invitation.checkUrl(null));
    }

    @Test
    void toStringHidesTheSecret() {
        Invitation invitation = Invitation.create("https://fra.example.org", "fra", FINGERPRINT, Duration.ofHours(1),
                CLOCK);

        String text = invitation.toString();

        assertFalse(text.contains(invitation.secret()), text);
        assertTrue(text.contains(invitation.id().toString()), text);
        assertTrue(text.contains("https://fra.example.org"), text);
    }

    /** An encoded valid invitation, changed. */
    private static String encoded(Consumer<ObjectNode> change) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("url", "https://fra.example.org");
        json.put("instance", "fra");
        json.put("fingerprint", FINGERPRINT);
        json.put("id", UUID.randomUUID().toString());
        json.put("secret", "A".repeat(43));
        json.put("expires", "2025-02-01T00:00:00Z");
        change.accept(json);
        return Invitation.PREFIX + base64url(json.toString());
    }

    private static String base64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertMessage(String expected, String text) {
        InvalidRequestException thrown = assertThrows(InvalidRequestException.class, () -> Invitation.decode(text));
        assertTrue(thrown.getMessage().contains(expected), text + ": " + thrown.getMessage());
    }
}
