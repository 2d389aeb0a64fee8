package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.store.StoredIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class InstanceKeyTest {

    private static final byte[] DATA = "what the instance says".getBytes(StandardCharsets.UTF_8);

    @Test
    void generatesAKeyPairWhoseSignaturesItsPublicKeyVerifies() {
        InstanceKey key = InstanceKey.generate("fra");

        byte[] signature = key.sign(DATA);

        assertEquals(64, signature.length);
        assertTrue(key.publicKey().verifies(DATA, signature));
        assertFalse(key.publicKey().verifies("something else".getBytes(StandardCharsets.UTF_8), signature));
        assertTrue(key.publicKey().line().matches("ssh-ed25519 AAAA[A-Za-z0-9+/=]+ fra"), key.publicKey().line());
        Ed25519Key parsed = Ed25519Key.parse(key.publicKey().line());
        assertEquals(key.publicKey().fingerprint(), parsed.fingerprint());
        assertTrue(parsed.verifies(DATA, signature));
        assertEquals(32, Base64.getDecoder().decode(key.privateKeyBase64()).length);
    }

    @Test
    void generatesADifferentKeyEachTime() {
        assertNotEquals(InstanceKey.generate("fra").publicKey().fingerprint(),
                InstanceKey.generate("fra").publicKey().fingerprint());
    }

    @Test
    void restoresTheSameKeyPair() {
        InstanceKey original = InstanceKey.generate("fra");

        InstanceKey restored = InstanceKey.restore(original.publicKey().line(), original.privateKeyBase64());

        assertEquals(original.publicKey().fingerprint(), restored.publicKey().fingerprint());
        assertEquals(original.privateKeyBase64(), restored.privateKeyBase64());
        // Ed25519 signatures are deterministic: the same key signs the same data alike.
        assertArrayEquals(original.sign(DATA), restored.sign(DATA));
        assertTrue(original.publicKey().verifies(DATA, restored.sign(DATA)));
    }

    @Test
    void restoresWhatTheStoreKeeps() {
        InstanceKey original = InstanceKey.generate("fra");
        StoredIdentity stored = new StoredIdentity(original.publicKey().line(), original.privateKeyBase64(),
                Instant.parse("2025-01-31T12:00:00Z"));

        InstanceKey restored = InstanceKey.restore(stored);

        assertEquals(original.publicKey().line(), restored.publicKey().line());
        assertArrayEquals(original.sign(DATA), restored.sign(DATA));
    }

    @Test
    void refusesAPrivateKeyOfAnotherPublicKey() {
        InstanceKey mine = InstanceKey.generate("fra");
        InstanceKey other = InstanceKey.generate("ham");

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> InstanceKey.restore(mine.publicKey().line(), other.privateKeyBase64()));

        assertTrue(thrown.getMessage().contains("does not belong"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(mine.publicKey().fingerprint()), thrown.getMessage());
        assertFalse(thrown.getMessage().contains(other.privateKeyBase64()), thrown.getMessage());
    }

    @Test
    void refusesMalformedStoredKeys() {
        InstanceKey key = InstanceKey.generate("fra");
        String line = key.publicKey().line();
        String notBase64 = "not base64 at all!";

        IllegalStateException garbled = assertThrows(IllegalStateException.class,
                () -> InstanceKey.restore(line, notBase64));
        assertFalse(garbled.getMessage().contains(notBase64), garbled.getMessage());
        IllegalStateException shortKey = assertThrows(IllegalStateException.class,
                () -> InstanceKey.restore(line, Base64.getEncoder().encodeToString(new byte[31])));
        assertTrue(shortKey.getMessage().contains("31 bytes"), shortKey.getMessage());
        assertThrows(IllegalStateException.class, () -> InstanceKey.restore(line, null));
        assertThrows(IllegalStateException.class, () -> InstanceKey.restore("ssh-rsa AAAA fra",
                key.privateKeyBase64()));
        assertThrows(IllegalStateException.class, () -> InstanceKey.restore(null, key.privateKeyBase64()));
    }

    @Test
    void refusesANameWithWhiteSpace() {
        assertThrows(IllegalArgumentException.class, () -> InstanceKey.generate("two words"));
        assertThrows(IllegalArgumentException.class, () -> InstanceKey.generate(""));
        assertThrows(IllegalArgumentException.class, () -> InstanceKey.generate(null));
    }

    @Test
    void toStringShowsTheFingerprintButNeverThePrivateKey() {
        InstanceKey key = InstanceKey.generate("fra");

        String text = key.toString();

        assertEquals("InstanceKey[" + key.publicKey().fingerprint() + "]", text);
        assertFalse(text.contains(key.privateKeyBase64()));
    }
}
