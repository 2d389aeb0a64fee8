package io.hanse.agent.daemon;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Lets a desire start the same thing at most once per gap, so that a server (hostile or confused)
 * cannot make the agent fork without end. The gap is measured on a monotonic ticker
 * ({@link System#nanoTime} in the daemon): a wall clock stepped back would otherwise refuse every
 * desire for as long as the step, and desires, handed over once, would be lost. Only a start counts:
 * a desire that started nothing (the check was running already) leaves the next one free. Keys are
 * configured names only, so the map stays small.
 */
final class RateLimiter {

    private final long gapNanos;
    private final LongSupplier ticker;
    private final Map<String, Long> lastStart = new HashMap<>();

    /** {@code ticker} tells nanoseconds from any fixed origin, such as {@link System#nanoTime}. */
    RateLimiter(Duration gap, LongSupplier ticker) {
        this.gapNanos = gap.toNanos();
        this.ticker = ticker;
    }

    /**
     * Calls {@code start} unless something under {@code key} started less than the gap ago; returns
     * what {@code start} returned, whether it started something, and if it did, notes when.
     */
    synchronized boolean tryStart(String key, BooleanSupplier start) {
        long now = ticker.getAsLong();
        Long previous = lastStart.get(key);
        // A difference, not a comparison of the two: nanoTime may wrap.
        if (previous != null && now - previous < gapNanos) {
            return false;
        }
        boolean started = start.getAsBoolean();
        if (started) {
            lastStart.put(key, now);
        }
        return started;
    }
}
