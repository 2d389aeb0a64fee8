package io.hanse.kernel.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.kernel.security.internal.NonceLog.Taken;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NonceLogTest {

    @Test
    void aNonceIsSeenUntilItsTimeIsPastAndOnlyForItsOwnKey() {
        NonceLog log = new NonceLog(10, 10);

        assertEquals(Taken.NEW, log.take("SHA256:a", "n1", 100, 0));
        assertEquals(Taken.SEEN, log.take("SHA256:a", "n1", 100, 50));
        assertEquals(Taken.NEW, log.take("SHA256:b", "n1", 100, 50), "another key's nonce");
        assertEquals(Taken.NEW, log.take("SHA256:a", "n2", 100, 50));
        assertEquals(Taken.SEEN, log.take("SHA256:a", "n1", 100, 100), "kept through its last second");
        assertEquals(Taken.NEW, log.take("SHA256:a", "n1", 200, 101), "forgotten after it");
        assertEquals(1, log.size());
    }

    @Test
    void aFullLogTakesNoMoreUntilNoncesAreForgotten() {
        NonceLog log = new NonceLog(3, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(Taken.NEW, log.take("k", "n" + i, 10 + i, 0));
        }

        assertEquals(Taken.FULL, log.take("k", "n3", 20, 5));
        assertEquals(10, log.oldestForgetAfter(), "room again after the 10th second");
        assertEquals(Taken.SEEN, log.take("k", "n1", 20, 5), "a replay is still a replay");
        assertEquals(Taken.NEW, log.take("k", "n3", 20, 11), "n0 forgotten");
        assertEquals(3, log.size());
    }

    @Test
    void growingKeepsEachNonceUntilItsOwnTime() {
        NonceLog log = new NonceLog(3000, 3000);
        for (int i = 0; i < 1000; i++) {
            log.take("k", "a" + i, 5, 0);
        }
        for (int i = 0; i < 1500; i++) {
            assertEquals(Taken.NEW, log.take("k", "b" + i, 100 + i, 6), "b" + i);
        }

        assertEquals(1500, log.size(), "the a's are forgotten, the b's kept through a growth of the wrapped ring");
        for (int i = 0; i < 1500; i += 7) {
            assertEquals(i < 500 ? Taken.NEW : Taken.SEEN, log.take("k", "b" + i, 9999, 600), "b" + i);
        }
    }

    @Test
    void onceTheLogIsHalfFullAKeyHoldsNoMoreThanItsShareWhileOthersStillGetRoom() {
        NonceLog log = new NonceLog(8, 2);
        for (int i = 0; i < 4; i++) {
            assertEquals(Taken.NEW, log.take("SHA256:loop", "n" + i, 10 + i, 0), "past its share in a quiet log");
        }

        assertEquals(Taken.KEY_FULL, log.room("SHA256:loop", 5), "told before a signature is checked");
        assertEquals(Taken.KEY_FULL, log.take("SHA256:loop", "n4", 20, 5));
        assertEquals(Taken.SEEN, log.take("SHA256:loop", "n1", 20, 5), "a replay is still a replay");
        assertEquals(Taken.NEW, log.room("SHA256:other", 5));
        assertEquals(Taken.NEW, log.take("SHA256:other", "m0", 20, 5));
        assertEquals(Taken.NEW, log.take("SHA256:other", "m1", 20, 5));
        assertEquals(Taken.KEY_FULL, log.take("SHA256:other", "m2", 20, 5), "held to its share too");
        assertEquals(6, log.size(), "room() takes nothing");
        assertEquals(Taken.KEY_FULL, log.room("SHA256:loop", 12), "n0 and n1 forgotten; still half full");
        assertEquals(Taken.NEW, log.take("SHA256:loop", "n4", 20, 13), "n2 forgotten after its 12th second too");
    }

    @Test
    void aKeysShareIsAtMostTheWholeLog() {
        assertThrows(IllegalArgumentException.class, () -> new NonceLog(10, 11));
        assertThrows(IllegalArgumentException.class, () -> new NonceLog(10, 0));
    }

    /**
     * Against the plain model it replaces (a set, a queue of times and a count per key), with
     * replays of nonces both remembered and forgotten: in small tables, where probing wraps around
     * their end, and in one that grows from its first size while nonces are being forgotten from the
     * middle of its ring; with keys that may take the whole log, and with keys held to their share.
     */
    @ParameterizedTest
    @CsvSource({"3, 3", "50, 50", "5000, 5000", "50, 4", "5000, 300"})
    void takesWhatASetAndAQueueWould(int capacity, int perKey) {
        NonceLog log = new NonceLog(capacity, perKey);
        Set<String> remembered = new HashSet<>();
        Deque<Map.Entry<String, Long>> queue = new ArrayDeque<>();
        Map<String, Integer> shares = new HashMap<>();
        Random random = new Random(capacity + perKey);
        long now = 0;
        int[] recent = new int[64];
        int replays = 0;
        int full = 0;
        int keyFull = 0;
        for (int i = 0; i < 200_000; i++) {
            now += random.nextInt(3) == 0 ? 1 : 0;
            int n = random.nextInt(10) == 0 ? recent[random.nextInt(recent.length)] : i;
            // One key sends a quarter of the requests, as a looping agent would.
            String key = "SHA256:agent-" + (n % 4 == 0 ? 0 : n % 20);
            String nonce = "n" + n;
            long forgetAfter = now + random.nextInt(i / 20_000 % 2 == 0 ? Math.max(1, capacity / 4) : capacity);
            while (!queue.isEmpty() && queue.peekFirst().getValue() < now) {
                String forgotten = queue.removeFirst().getKey();
                remembered.remove(forgotten);
                shares.merge(forgotten.substring(0, forgotten.indexOf(' ')), -1, Integer::sum);
            }
            String id = key + ' ' + nonce;
            Taken expected = remembered.contains(id) ? Taken.SEEN
                    : remembered.size() == capacity ? Taken.FULL
                    : remembered.size() >= capacity / 2 && shares.getOrDefault(key, 0) >= perKey ? Taken.KEY_FULL
                    : Taken.NEW;
            if (expected == Taken.NEW) {
                remembered.add(id);
                queue.addLast(Map.entry(id, forgetAfter));
                shares.merge(key, 1, Integer::sum);
                recent[i % recent.length] = n;
            }
            replays += expected == Taken.SEEN ? 1 : 0;
            full += expected == Taken.FULL ? 1 : 0;
            keyFull += expected == Taken.KEY_FULL ? 1 : 0;

            assertEquals(expected, log.take(key, nonce, forgetAfter, now), "take " + i + " of " + id);
            assertEquals(remembered.size(), log.size());
        }
        assertTrue(replays > 100 && full + keyFull > 100, replays + " replays and " + full + " refused as full, "
                + keyFull + " for the key's share");
        assertTrue(perKey == capacity || keyFull > 100, keyFull + " refused for the key's share");
    }
}
