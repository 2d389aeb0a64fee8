package io.hanse.kernel.security.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.TooManyRequestsException;
import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.security.SignedRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bounds on the nonces remembered: the whole log's and each key's, told before a signature is checked. */
class RequestSignaturesTest {

    private static final String PATH = "/api/v1/agents/self/heartbeat";
    private static final byte[] BODY = "{\"version\":\"1\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final KeyPair looping = TestKeys.ed25519Pair();
    private final KeyPair other = TestKeys.ed25519Pair();

    @Test
    void aKeyPastItsShareIsRefusedBeforeItsSignatureIsCheckedAndOthersAreNot() throws Exception {
        RequestSignatures signatures = new RequestSignatures(NOW, 4, 1);
        verify(signatures, looping, NOW);
        verify(signatures, looping, NOW);

        SignedRequest forged = new SignedRequest(TestKeys.sign(looping, "POST", PATH, BODY, NOW).authorization(),
                "POST", PATH, "{\"version\":\"2\"}".getBytes(StandardCharsets.UTF_8), SecurityFixture.ADDRESS);
        TooManyRequestsException refused = assertThrows(TooManyRequestsException.class,
                () -> signatures.verify(RequestSignatures.parse(forged.authorization()), TestKeys.agentKey(looping),
                        forged, NOW), "a signature that would not hold is not even checked");
        assertTrue(refused.getMessage().contains("with this key"), refused.getMessage());
        assertRetryAfterBetween(5, 10, refused);
        verify(signatures, other, NOW);
        verify(signatures, looping, NOW.plus(RequestSignatures.WINDOW).plusSeconds(1));
    }

    @Test
    void aFullLogTellsCallersToWaitSecondsAtRandomNotOneSecondAll() throws Exception {
        RequestSignatures signatures = new RequestSignatures(NOW, 3, 2);
        verify(signatures, looping, NOW);
        verify(signatures, looping, NOW);
        verify(signatures, other, NOW);
        // The oldest nonce is forgotten in a second: every refused agent would come back then.
        Instant later = NOW.plus(RequestSignatures.WINDOW).minusSeconds(1);

        long least = Long.MAX_VALUE;
        long most = 0;
        for (int i = 0; i < 50; i++) {
            TooManyRequestsException refused = assertThrows(TooManyRequestsException.class,
                    () -> verify(signatures, other, later));
            assertTrue(refused.getMessage().contains("from all agents"), refused.getMessage());
            least = Math.min(least, refused.retryAfter().toSeconds());
            most = Math.max(most, refused.retryAfter().toSeconds());
        }
        assertTrue(least >= 5 && most <= 10 && most > least, "Retry-After from " + least + " to " + most + " s");
    }

    @Test
    void aRequestSignedInTheSecondBeforeTheStartIsRefusedAndTheOneAfterIsNot() throws Exception {
        RequestSignatures signatures = new RequestSignatures(NOW.minusMillis(1), 10, 10);

        verify(signatures, looping, NOW);
        RequestSignatures.Refused refused = assertThrows(RequestSignatures.Refused.class,
                () -> verify(signatures, looping, NOW.minusSeconds(1)));
        assertTrue(refused.told().contains("sign it again"), refused.told());
    }

    @Test
    void aForgedRequestSignedBeforeTheStartIsRefusedAsForgedNotToldToSignAgain() {
        RequestSignatures signatures = new RequestSignatures(NOW, 10, 10);
        Instant before = NOW.minusSeconds(1);
        SignedRequest forged = new SignedRequest(TestKeys.sign(looping, "POST", PATH, BODY, before).authorization(),
                "POST", PATH, "{\"version\":\"2\"}".getBytes(StandardCharsets.UTF_8), SecurityFixture.ADDRESS);

        RequestSignatures.Refused refused = assertThrows(RequestSignatures.Refused.class,
                () -> signatures.verify(RequestSignatures.parse(forged.authorization()), TestKeys.agentKey(looping),
                        forged, NOW));
        assertNull(refused.told(), "a refusal that is not counted as a guess is only for requests the key signed");
        assertTrue(refused.getMessage().contains("does not match"), refused.getMessage());
    }

    private static void verify(RequestSignatures signatures, KeyPair pair, Instant now)
            throws RequestSignatures.Refused {
        SignedRequest request = TestKeys.sign(pair, "POST", PATH, BODY, now);
        Ed25519Key key = TestKeys.agentKey(pair);
        signatures.verify(RequestSignatures.parse(request.authorization()), key, request, now);
    }

    private static void assertRetryAfterBetween(long least, long most, TooManyRequestsException refused) {
        Duration wait = refused.retryAfter();
        assertTrue(wait.toSeconds() >= least && wait.toSeconds() <= most, "Retry-After " + wait);
    }
}
