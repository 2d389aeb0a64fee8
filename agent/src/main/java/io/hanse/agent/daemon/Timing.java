package io.hanse.agent.daemon;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The daemon's waits: how it backs off, how often a desire may make it run something, how long it
 * idles between work claims, how long a desire poll lasts, and the randomness that spreads first
 * check runs and retries.
 *
 * @param backoffMin the shortest wait after a failed request
 * @param backoffMax the longest wait after repeated failures, and how often at most a refused agent
 *     ({@code 401}) asks, with one request of all its loops, whether it is let in again
 * @param refreshGap how soon a desire may run the same check (or collect facts) again
 * @param claimIdle how long to wait before claiming work again after the server had none
 * @param minPollGap the least time between two desire polls, however fast the server answers
 * @param pollWait how long the server may hold a desire poll (whole seconds, at most 60)
 * @param random spreads first check runs over their interval and jitters backoffs
 */
public record Timing(Duration backoffMin, Duration backoffMax, Duration refreshGap, Duration claimIdle,
        Duration minPollGap, Duration pollWait, RandomGenerator random) {

    /** Returns the waits a production agent uses. */
    public static Timing standard() {
        return new Timing(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofSeconds(30), new Random());
    }
}
