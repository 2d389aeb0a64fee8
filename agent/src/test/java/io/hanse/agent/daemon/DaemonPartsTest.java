package io.hanse.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.agent.client.Reply;
import io.hanse.agent.common.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DaemonPartsTest {

    @Test
    void heartbeatIntervalIsClampedWhateverTheServerAsks() {
        assertEquals(30, Heartbeat.interval(json("{\"heartbeatSeconds\": 30}"), 10));
        assertEquals(Heartbeat.MIN_SECONDS, Heartbeat.interval(json("{\"heartbeatSeconds\": -1}"), 10));
        assertEquals(Heartbeat.MIN_SECONDS, Heartbeat.interval(json("{\"heartbeatSeconds\": 0}"), 10));
        assertEquals(Heartbeat.MAX_SECONDS, Heartbeat.interval(json("{\"heartbeatSeconds\": 1000000000000}"), 10));
        assertEquals(Heartbeat.MAX_SECONDS, Heartbeat.interval(json("{\"heartbeatSeconds\": 1e300}"), 10));
        assertEquals(10, Heartbeat.interval(json("{\"heartbeatSeconds\": \"30\"}"), 10));
        assertEquals(10, Heartbeat.interval(json("not json"), 10));
    }

    @Test
    void rateLimiterStartsOncePerGapAndKeyOnAMonotonicTicker() {
        // System.nanoTime may start anywhere and wrap: the gap is a difference of ticks.
        long[] ticks = {Long.MAX_VALUE - 5_000_000_000L};
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(10), () -> ticks[0]);
        assertTrue(limiter.tryStart("load", () -> true));
        assertFalse(limiter.tryStart("load", () -> true));
        assertTrue(limiter.tryStart("disk", () -> true));
        ticks[0] += 9_000_000_000L;
        assertFalse(limiter.tryStart("load", () -> true));
        ticks[0] += 1_000_000_000L;
        assertTrue(limiter.tryStart("load", () -> true));
        assertFalse(limiter.tryStart("cpu", () -> false), "nothing started");
        assertTrue(limiter.tryStart("cpu", () -> true), "so the next desire may start it");
    }

    @Test
    void backoffGrowsWithinItsBoundsAndStartsOverAfterASuccess() {
        Backoff backoff = new Backoff(timing(new Random(7)));
        long ceiling = 1000;
        for (int failure = 0; failure < 30; failure++) {
            long wait = backoff.next().toMillis();
            assertTrue(wait >= 1000 && wait <= Math.min(ceiling, 300_000), "wait " + wait + " after " + failure);
            ceiling = Math.min(ceiling * 2, 300_000);
        }
        backoff.reset();
        assertEquals(1000, backoff.next().toMillis());
    }

    @Test
    void aRetryAfterIsHonouredWithJitterOnTop() {
        Backoff backoff = new Backoff(timing(new Random(7)));
        Reply busy = new Reply(503, new byte[0], "", Optional.of(Duration.ofSeconds(10)), null);
        Set<Long> waits = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            long wait = backoff.next(busy).toMillis();
            assertTrue(wait >= 10_000 && wait <= 15_000, "wait " + wait);
            waits.add(wait);
        }
        assertTrue(waits.size() > 1, "agents told the same come back at different times");
        assertEquals(50, backoff.failures());
        Reply refused = new Reply(503, new byte[0], "", Optional.empty(), null);
        assertTrue(backoff.next(refused).toMillis() <= 300_000, "without Retry-After, the backoff");
    }

    @Test
    void readsWhichObservationARefusalNames() {
        assertEquals(OptionalLong.of(8), Sender.namedSeq("observation seq 8: body must be a JSON object"));
        assertEquals(OptionalLong.of(7), Sender.namedSeq("observation agent:0b9e4c1a-6f3d-4d2e-9a51-3c7f0e2b8d14:"
                + "1764901200123:7: status is ok, warning, critical or unknown, not fine"), "as the monitoring plugin");
        assertEquals(OptionalLong.empty(), Sender.namedSeq("a batch holds 1 to 1000 observations"));
        assertEquals(OptionalLong.empty(), Sender.namedSeq("the request body is larger than 1048576 bytes"));
        assertEquals(OptionalLong.empty(), Sender.namedSeq(""));
    }

    @Test
    void aDesirePollThatCameBackEarlyWithNothingWaitsOutItsWait() {
        Timing timing = new Timing(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(7));
        assertEquals(Duration.ofMillis(29_800), DesirePoller.pause(true, Duration.ofMillis(200), timing));
        assertEquals(Duration.ZERO, DesirePoller.pause(true, Duration.ofSeconds(30), timing), "a full wait");
        assertEquals(Duration.ofMillis(800), DesirePoller.pause(false, Duration.ofMillis(200), timing),
                "desires came: the next poll soon");
        assertEquals(Duration.ZERO, DesirePoller.pause(false, Duration.ofSeconds(3), timing));
    }

    private static Timing timing(Random random) {
        return new Timing(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, random);
    }

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
