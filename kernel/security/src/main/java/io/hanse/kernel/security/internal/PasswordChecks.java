package io.hanse.kernel.security.internal;

import io.hanse.api.UnavailableException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs at most so many password checks and hashes at once: each takes Argon2's 19 MiB, so logins
 * for many users from many addresses, which the throttle lets through, and passwords being set must
 * not all take theirs at once. Each waits a while for its turn, then is refused.
 */
final class PasswordChecks {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Semaphore turns;
    private final Duration wait;

    /**
     * @param atOnce how many checks and hashes may run at the same time
     * @param wait how long one waits for its turn at most
     */
    PasswordChecks(int atOnce, Duration wait) {
        this.turns = new Semaphore(atOnce, true);
        this.wait = wait;
    }

    /**
     * Checks or hashes a password when its turn comes.
     *
     * @throws UnavailableException if its turn did not come within the wait
     */
    <T> T run(Supplier<T> work) {
        boolean turn;
        try {
            turn = turns.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            turn = false;
        }
        if (!turn) {
            throw new UnavailableException("too many passwords are being checked or set at once; try again in "
                    + RETRY_AFTER.toSeconds() + " second", RETRY_AFTER);
        }
        try {
            return work.get();
        } finally {
            turns.release();
        }
    }
}
