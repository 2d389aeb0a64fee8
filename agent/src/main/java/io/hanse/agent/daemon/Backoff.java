package io.hanse.agent.daemon;

import io.hanse.agent.client.Reply;
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

    /**
     * Returns how long to wait after a failed request: the server's {@code Retry-After} (at most 5
     * minutes, as the client reads it) and up to half as much again at random, so that the agents
     * it told the same do not all come back in the same second; else the next backoff.
     */
    Duration next(Reply reply) {
        if (reply.retryAfter().isEmpty()) {
            return next();
        }
        failures++;
        long asked = reply.retryAfter().get().toMillis();
        return Duration.ofMillis(asked + timing.random().nextLong(asked / 2 + 1));
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
