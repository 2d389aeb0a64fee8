package io.hanse.kernel.security.internal;

import io.hanse.api.TooManyRequestsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Slows down guessing: after a few free failed logins for a user or from an address, every further
 * failure locks that user or address out for twice as long as the last, up to a bound. A success
 * clears the user's count. Counts are forgotten after an hour without failures. Attempts refused
 * while locked out are not failures: they neither lengthen the lockout nor keep the count.
 *
 * <p>An attempt is let in and counted as being checked in one step, before its (slow) check: so
 * guesses made at once are let in only as far as, should they all fail, the last locks out, and
 * beyond the free failures one at a time, as if they came one after the other.
 */
final class LoginThrottle {

    /**
     * At most this many users and addresses are tracked. When full, those neither locked out nor
     * being checked are dropped; if none is, the tenth whose last failure is oldest.
     */
    static final int MAX_TRACKED = 100_000;
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    /** How often at most a lockout going on is told again. */
    static final Duration TELL_AGAIN_AFTER = Duration.ofMinutes(1);

    /**
     * A lockout, as it is told: when it begins, as the failures of a key go beyond the free ones;
     * then, while it goes on (lengthened by further failures, or attempts refused while it lasts, or
     * locked out again by a failure after it passed, before the failures are forgotten), at most once
     * a {@link #TELL_AGAIN_AFTER}, at the first such failure or refusal after it.
     *
     * @param key the user or address locked out, as given to {@link #attempt}
     * @param failures the failures counted
     * @param lasts how long it is locked out from now
     * @param begun whether it began now; else it goes on
     * @param refused the attempts refused while it was locked out since it was last told
     */
    record Lockout(String key, int failures, Duration lasts, boolean begun, long refused) {
    }

    /**
     * @param count failures since the last success, or within the hour
     * @param checking attempts let in and not yet ended
     * @param told when its lockout was last told; {@link Instant#MIN} if never
     * @param refused attempts refused while locked out since then
     */
    private record Failures(int count, int checking, Instant last, Instant lockedUntil, Instant told, long refused) {

        /** The failures that still count: none after an hour without any. */
        int countAt(Instant now) {
            return last.plus(FORGET_AFTER).isBefore(now) ? 0 : count;
        }
    }

    private final int freeFailures;
    private final Duration maxLockout;
    private final Clock clock;
    private final Consumer<Lockout> lockouts;
    // Guarded by this: an attempt's keys are checked and counted together.
    private final Map<String, Failures> failures = new HashMap<>();

    /**
     * @param lockouts told of each lockout that begins, and of those going on, outside the throttle's lock
     */
    LoginThrottle(int freeFailures, Duration maxLockout, Clock clock, Consumer<Lockout> lockouts) {
        this.freeFailures = freeFailures;
        this.maxLockout = maxLockout;
        this.clock = clock;
        this.lockouts = lockouts;
    }

    /**
     * Lets an attempt in for all the keys, counting it as being checked until it ends: refused while
     * any key is locked out, or while others are being checked that, should they fail, take it
     * beyond its free failures.
     *
     * @throws TooManyRequestsException saying how long to wait
     */
    Attempt attempt(String... keys) {
        List<Lockout> goingOn = new ArrayList<>();
        try {
            return admit(keys, goingOn);
        } finally {
            goingOn.forEach(lockouts);
        }
    }

    /** Lets an attempt in, adding to {@code goingOn} the lockouts to tell that refused it. */
    private synchronized Attempt admit(String[] keys, List<Lockout> goingOn) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        boolean busy = false;
        for (String key : keys) {
            Failures current = failures.get(key);
            if (current == null) {
                continue;
            }
            if (current.lockedUntil.isAfter(now)) {
                Duration left = Duration.between(now, current.lockedUntil);
                wait = left.compareTo(wait) > 0 ? left : wait;
                long refused = current.refused + 1;
                boolean tell = !now.isBefore(current.told.plus(TELL_AGAIN_AFTER));
                if (tell) {
                    goingOn.add(new Lockout(key, current.count, left, false, refused));
                }
                failures.put(key, new Failures(current.count, current.checking, current.last, current.lockedUntil,
                        tell ? now : current.told, tell ? 0 : refused));
            }
            busy |= current.checking > 0 && current.countAt(now) + current.checking > freeFailures;
        }
        if (!wait.isZero()) {
            Duration seconds = Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
            throw new TooManyRequestsException("too many failed logins; try again in " + seconds.toSeconds()
                    + (seconds.toSeconds() == 1 ? " second" : " seconds"), seconds);
        }
        if (busy) {
            throw new TooManyRequestsException("other logins for this user or from this address are being checked,"
                    + " and more than " + freeFailures + " could fail; try again in 1 second", Duration.ofSeconds(1));
        }
        makeRoom(now);
        for (String key : keys) {
            failures.compute(key, (k, current) -> current == null ? new Failures(0, 1, now, now, Instant.MIN, 0)
                    : new Failures(current.count, current.checking + 1, current.last, current.lockedUntil,
                            current.told, current.refused));
        }
        return new Attempt(keys);
    }

    /** Clears a key's failures, as after a right password; attempts still being checked stay counted. */
    synchronized void succeeded(String key) {
        failures.computeIfPresent(key, (k, current) -> current.checking == 0 ? null
                : new Failures(0, current.checking, current.last, current.last, current.told, current.refused));
    }

    private void makeRoom(Instant now) {
        if (failures.size() < MAX_TRACKED) {
            return;
        }
        failures.values().removeIf(f -> f.checking == 0 && !f.lockedUntil.isAfter(now));
        if (failures.size() >= MAX_TRACKED) {
            failures.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.comparing(Failures::last)))
                    .limit(MAX_TRACKED / 10).map(Map.Entry::getKey).toList().forEach(failures::remove);
        }
    }

    /** Ends an attempt, counting a failure for each key if it failed. */
    private void end(String[] keys, boolean failed) {
        List<Lockout> told = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (String key : keys) {
                failures.compute(key, (k, current) -> {
                    // A key dropped to make room, or cleared by a success, counts afresh.
                    int checking = current == null ? 0 : Math.max(0, current.checking - 1);
                    if (!failed) {
                        return current == null || current.count == 0 && checking == 0 ? null
                                : new Failures(current.count, checking, current.last, current.lockedUntil,
                                        current.told, current.refused);
                    }
                    int count = current == null ? 1 : current.countAt(now) + 1;
                    Instant lastTold = current == null || count == 1 ? Instant.MIN : current.told;
                    long refused = current == null || count == 1 ? 0 : current.refused;
                    Instant lockedUntil = now;
                    if (count > freeFailures) {
                        Duration lasts = Duration.ofSeconds(1L << Math.min(30, count - freeFailures - 1));
                        lasts = lasts.compareTo(maxLockout) > 0 ? maxLockout : lasts;
                        lockedUntil = now.plus(lasts);
                        boolean begun = count == freeFailures + 1;
                        if (begun || !now.isBefore(lastTold.plus(TELL_AGAIN_AFTER))) {
                            told.add(new Lockout(key, count, lasts, begun, refused));
                            lastTold = now;
                            refused = 0;
                        }
                    }
                    return new Failures(count, checking, now, lockedUntil, lastTold, refused);
                });
            }
        }
        told.forEach(lockouts);
    }

    /** An attempt let in: ends either with {@link #failed} or, whatever else happens, with {@link #close}. */
    final class Attempt implements AutoCloseable {

        private final String[] keys;
        private boolean ended;

        private Attempt(String[] keys) {
            this.keys = keys;
        }

        /** Ends the attempt as a failure of each of its keys. */
        void failed() {
            if (!ended) {
                ended = true;
                end(keys, true);
            }
        }

        /** Ends the attempt without counting it, if it did not fail. */
        @Override
        public void close() {
            if (!ended) {
                ended = true;
                end(keys, false);
            }
        }
    }
}
