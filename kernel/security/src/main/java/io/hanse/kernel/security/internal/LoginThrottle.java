package io.hanse.kernel.security.internal;

import io.hanse.api.TooManyRequestsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing: after a few free failed logins for a user or from an address, every further
 * failure locks that user or address out for twice as long as the last, up to a bound. A success
 * clears the user's count. Counts are forgotten after an hour without failures.
 */
final class LoginThrottle {

    /**
     * At most this many users and addresses are tracked. When full, those not locked out are dropped;
     * if all are, the tenth whose last failure is oldest.
     */
    static final int MAX_TRACKED = 100_000;
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    private record Failures(int count, Instant last, Instant lockedUntil) {
    }

    private final int freeFailures;
    private final Duration maxLockout;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    LoginThrottle(int freeFailures, Duration maxLockout, Clock clock) {
        this.freeFailures = freeFailures;
        this.maxLockout = maxLockout;
        this.clock = clock;
    }

    /**
     * Refuses an attempt while any of the keys is locked out.
     *
     * @throws TooManyRequestsException saying how long to wait
     */
    void check(String... keys) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys) {
            Failures current = failures.get(key);
            if (current != null && current.lockedUntil.isAfter(now)) {
                Duration left = Duration.between(now, current.lockedUntil);
                wait = left.compareTo(wait) > 0 ? left : wait;
            }
        }
        if (!wait.isZero()) {
            Duration seconds = Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
            throw new TooManyRequestsException("too many failed logins; try again in " + seconds.toSeconds()
                    + " seconds", seconds);
        }
    }

    void failed(String... keys) {
        Instant now = clock.instant();
        makeRoom(now);
        for (String key : keys) {
            failures.compute(key, (k, current) -> {
                int count = current == null || current.last.plus(FORGET_AFTER).isBefore(now) ? 1 : current.count + 1;
                Instant lockedUntil = now;
                if (count > freeFailures) {
                    long seconds = 1L << Math.min(30, count - freeFailures - 1);
                    lockedUntil = now.plus(Duration.ofSeconds(seconds).compareTo(maxLockout) > 0 ? maxLockout
                            : Duration.ofSeconds(seconds));
                }
                return new Failures(count, now, lockedUntil);
            });
        }
    }

    private void makeRoom(Instant now) {
        if (failures.size() < MAX_TRACKED) {
            return;
        }
        failures.values().removeIf(f -> !f.lockedUntil.isAfter(now));
        if (failures.size() >= MAX_TRACKED) {
            failures.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.comparing(Failures::last)))
                    .limit(MAX_TRACKED / 10).map(Map.Entry::getKey).toList().forEach(failures::remove);
        }
    }

    void succeeded(String key) {
        failures.remove(key);
    }
}
