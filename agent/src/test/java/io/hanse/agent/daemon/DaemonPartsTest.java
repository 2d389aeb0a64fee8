package io.hanse.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.agent.common.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
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
    void rateLimiterAllowsOncePerGapAndKey() {
        MutableClock clock = new MutableClock();
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(10), clock);
        assertTrue(limiter.allow("load"));
        assertFalse(limiter.allow("load"));
        assertTrue(limiter.allow("disk"));
        clock.now = clock.now.plusSeconds(9);
        assertFalse(limiter.allow("load"));
        clock.now = clock.now.plusSeconds(1);
        assertTrue(limiter.allow("load"));
    }

    @Test
    void backoffGrowsWithinItsBoundsAndStartsOverAfterASuccess() {
        Timing timing = new Timing(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ZERO, Duration.ZERO,
                Duration.ZERO, new Random(7));
        Backoff backoff = new Backoff(timing);
        long ceiling = 1000;
        for (int failure = 0; failure < 30; failure++) {
            long wait = backoff.next().toMillis();
            assertTrue(wait >= 1000 && wait <= Math.min(ceiling, 300_000), "wait " + wait + " after " + failure);
            ceiling = Math.min(ceiling * 2, 300_000);
        }
        backoff.reset();
        assertEquals(1000, backoff.next().toMillis());
    }

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-05T03:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
