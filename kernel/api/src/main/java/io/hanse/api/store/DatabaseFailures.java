package io.hanse.api.store;

import io.hanse.api.HanseException;
import io.hanse.api.UnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Tells a database failure that trying again may cure from one that it will not: the same
 * statement, refused for its values or by a constraint, is refused again.
 * <p>
 * The two questions are asked apart, since many failures answer neither clearly: a connection pool
 * that waited in vain for a connection, say, throws an {@link SQLException} without an SQLSTATE.
 */
public final class DatabaseFailures {

    /**
     * How long a caller told the database cannot be reached waits before trying again: short, so that
     * agents, which otherwise back off for up to 5 minutes, are back soon after the database is.
     *
     * @since 0.3.0
     */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private static final String UNAVAILABLE = "The database cannot be reached at the moment; try again shortly.";

    private DatabaseFailures() {
    }

    /**
     * Returns whether the failure or one of its causes says that no connection to the database could
     * be had or one was lost (SQLSTATE class 08, or 57P: the server shuts down or starts; or an {@link
     * SQLTransientConnectionException}), or that the connection pool had none to hand out in time (an
     * {@link SQLException} caused by the pool's {@link NoSuchElementException}). A deadlock, which
     * {@link #retryableItself} counts, is not, nor a statement cancelled or timed out (57014): the work
     * itself failed there, not the connection.
     *
     * @since 0.3.0
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (connectionFailed(cause)
                    || cause instanceof SQLException && cause.getCause() instanceof NoSuchElementException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the exception to throw for a failure {@link #unreachable} holds: the same message
     * wherever it shows (REST, shell, agents), without the pool's or driver's words, and
     * {@link #RETRY_AFTER}.
     *
     * @param cause the failure, kept for the log
     * @since 0.3.0
     */
    public static UnavailableException unavailable(Throwable cause) {
        return new UnavailableException(UNAVAILABLE, RETRY_AFTER, cause);
    }

    /**
     * Returns what a failure means to whoever asked for the work, from the REST API or the shell: the
     * failure itself or its nearest cause that is a {@link HanseException}, such as a refusal that a
     * transaction or a library wrapped; else, for a failure that {@link #retryableItself} holds of it or
     * one of its causes or that {@link #unreachable} holds, {@link #unavailable}; else nothing, as the
     * failure is a fault of the instance.
     *
     * @since 0.4.0
     */
    public static Optional<HanseException> known(Throwable failure) {
        boolean retryable = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HanseException known) {
                return Optional.of(known);
            }
            retryable |= retryableItself(cause);
        }
        return retryable || unreachable(failure) ? Optional.of(unavailable(failure)) : Optional.empty();
    }

    /**
     * Returns whether the database refused the data itself, which it refuses again however often it
     * is tried: the failure or one of its causes is an {@link SQLException} of SQLSTATE class 22 (a
     * value it cannot take, such as one too long) or 23 (a constraint, such as a duplicate key).
     */
    public static boolean refusesTheData(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String state = state(cause);
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether this failure itself, not looking at its causes, is known to be one a retry may
     * cure: a connection that could not be had or was lost (SQLSTATE class 08, or an
     * {@link SQLTransientConnectionException}), an administrator's shutdown (57) or a transaction
     * rolled back by a deadlock or a serialization conflict (40).
     */
    public static boolean retryableItself(Throwable failure) {
        String state = state(failure);
        return connectionFailed(failure) || state != null && (state.startsWith("57") || state.startsWith("40"));
    }

    /**
     * Whether this failure itself says that no connection could be had or one was lost: SQLSTATE
     * class 08 or 57P, or an {@link SQLTransientConnectionException}.
     */
    private static boolean connectionFailed(Throwable failure) {
        String state = state(failure);
        return failure instanceof SQLTransientConnectionException
                || state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private static String state(Throwable failure) {
        return failure instanceof SQLException sql ? sql.getSQLState() : null;
    }
}
