package io.hanse.api.store;

import io.hanse.api.UnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;

/**
 * Says in the log that work which is tried again and again fails, such as a background loop every
 * few seconds while the database is away, without filling the log: the first failure at once, then
 * at most one every {@link #EVERY}, which says how many were not logged since the last one logged;
 * and once, when the work is done again, since when it had failed. Safe to use from many threads.
 * <p>
 * A failure that trying again may cure (one that {@link DatabaseFailures#known} takes for an {@link
 * UnavailableException}) is logged by its message alone, as its stack trace tells nothing more; any other
 * may be a bug, and is logged with its stack trace.
 *
 * @since 0.4.0
 */
public final class FailureLog {

    /** How often a failure is logged at most while the work keeps failing. */
    public static final Duration EVERY = Duration.ofMinutes(1);

    private final Logger log;
    private final String works;
    private final Clock clock;
    // Guarded by this: since when the work fails, when that was last logged, and failures since.
    private Instant failingSince;
    private Instant logged;
    private long notLogged;

    /**
     * Makes a log for one piece of work.
     *
     * @param log where failures are logged
     * @param works says that the work is done, such as {@code "Peers' outboxes are filled"}: the log
     *     then says {@code "Peers' outboxes are filled again, after failing since …"}
     * @param clock tells when failures happen
     */
    public FailureLog(Logger log, String works, Clock clock) {
        this.log = log;
        this.works = works;
        this.clock = clock;
    }

    /**
     * Logs a failure as a warning, unless one was logged less than {@link #EVERY} ago.
     *
     * @param what says what failed and that it is tried again, such as {@code "Could not fill peers'
     *     outboxes; trying again every second"}; the failure's message follows it
     * @param failure the failure
     */
    public void failed(String what, Throwable failure) {
        OptionalLong before = count(clock.instant());
        if (before.isEmpty()) {
            return;
        }
        if (curable(failure)) {
            log.warn("{}{}: {}", what, notLogged(before.getAsLong()), failure.getMessage());
        } else {
            log.warn("{}{}: {}", what, notLogged(before.getAsLong()), failure.getMessage(), failure);
        }
    }

    /** Says once, as information, that the work is done again, if its failing was logged. */
    public void worked() {
        recovered().ifPresent(since -> log.info("{} again, after failing since {}", works, since));
    }

    /**
     * Counts a failure at {@code now}. Returns how many were not logged since the last one logged if
     * this one is to be logged, or nothing if it is not.
     */
    synchronized OptionalLong count(Instant now) {
        if (failingSince == null) {
            failingSince = now;
        }
        if (logged != null && now.isBefore(logged.plus(EVERY))) {
            notLogged++;
            return OptionalLong.empty();
        }
        long before = notLogged;
        logged = now;
        notLogged = 0;
        return OptionalLong.of(before);
    }

    /** Forgets that the work failed. Returns since when it had, if that was logged. */
    synchronized Optional<Instant> recovered() {
        Optional<Instant> since = logged == null ? Optional.empty() : Optional.of(failingSince);
        failingSince = null;
        logged = null;
        notLogged = 0;
        return since;
    }

    /** Returns whether trying again may cure a failure, which then is logged without its stack trace. */
    static boolean curable(Throwable failure) {
        return DatabaseFailures.known(failure).orElse(null) instanceof UnavailableException;
    }

    /**
     * Returns what a failure logged adds about those not logged since the last one logged: nothing if
     * none were, else such as {@code " (3 more failures since the last one logged)"}.
     */
    static String notLogged(long count) {
        return count == 0 ? "" : " (" + count + " more failures since the last one logged)";
    }
}
