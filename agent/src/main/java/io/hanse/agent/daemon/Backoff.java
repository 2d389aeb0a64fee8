package io.hanse.agent.daemon;

import java.time.Duration;

/**
 * Exponential backoff with full jitter: after the n-th failure in a row, a random wait between the
 * minimum and min(maximum, minimum × 2ⁿ), so that many agents that lost the server at once do not
 * come back at once.
 */
final class Backoff {

    private final Timing timing;
    private int failures;

    Backoff(Timing timing) {
        this.timing = timing;
    }

    /** Returns how long to wait after one more failure. */
    Duration next() {
        long min = timing.backoffMin().toMillis();
        long ceiling = Math.min(timing.backoffMax().toMillis(), min << Math.min(failures, 20));
        failures++;
        return Duration.ofMillis(ceiling <= min ? min : min + timing.random().nextLong(ceiling - min + 1));
    }

    /** Starts over after a success. */
    void reset() {
        failures = 0;
    }

    /** Returns how many failures came in a row. */
    int failures() {
        return failures;
    }
}
