package io.hanse.kernel.security.internal;

import io.hanse.api.UnavailableException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs at most so many password checks at once: each Argon2 verification takes 19 MiB, so logins
 * for many users from many addresses, which the throttle lets through, must not all take theirs at
 * once. A check waits a while for its turn, then is refused.
 */
final class PasswordChecks {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Semaphore turns;
    private final Duration wait;

    /**
     * @param atOnce how many checks may run at the same time
     * @param wait how long a check waits for its turn at most
     */
    PasswordChecks(int atOnce, Duration wait) {
        this.turns = new Semaphore(atOnce, true);
        this.wait = wait;
    }

    /**
     * Runs a check when its turn comes.
     *
     * @throws UnavailableException if its turn did not come within the wait
     */
    boolean check(BooleanSupplier check) {
        boolean turn;
        try {
            turn = turns.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            turn = false;
        }
        if (!turn) {
            throw new UnavailableException("too many passwords are being checked at once; try again in "
                    + RETRY_AFTER.toSeconds() + " second", RETRY_AFTER);
        }
        try {
            return check.getAsBoolean();
        } finally {
            turns.release();
        }
    }
}
