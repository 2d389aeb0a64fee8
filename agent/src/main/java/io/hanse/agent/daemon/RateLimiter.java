package io.hanse.agent.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Lets a desire run the same thing at most once per gap, so that a server (hostile or confused)
 * cannot make the agent fork without end. Keys are configured names only, so the map stays small.
 */
final class RateLimiter {

    private final Duration gap;
    private final Clock clock;
    private final Map<String, Instant> last = new HashMap<>();

    RateLimiter(Duration gap, Clock clock) {
        this.gap = gap;
        this.clock = clock;
    }

    /** Returns whether {@code key} may run now, and if so notes that it did. */
    synchronized boolean allow(String key) {
        Instant now = clock.instant();
        Instant previous = last.get(key);
        if (previous != null && previous.plus(gap).isAfter(now)) {
            return false;
        }
        last.put(key, now);
        return true;
    }
}
