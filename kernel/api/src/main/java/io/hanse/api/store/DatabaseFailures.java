package io.hanse.api.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database failure that trying again may cure from one that it will not: the same
 * statement, refused for its values or by a constraint, is refused again.
 * <p>
 * The two questions are asked apart, since many failures answer neither clearly: a connection pool
 * that waited in vain for a connection, say, throws an {@link SQLException} without an SQLSTATE.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * Returns whether the database refused the data itself, which it refuses again however often it
     * is tried: the failure or one of its causes is an {@link SQLException} of SQLSTATE class 22 (a
     * value it cannot take, such as one too long) or 23 (a constraint, such as a duplicate key).
     */
    public static boolean refusesTheData(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String state = cause instanceof SQLException sql ? sql.getSQLState() : null;
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
        if (failure instanceof SQLTransientConnectionException) {
            return true;
        }
        String state = failure instanceof SQLException sql ? sql.getSQLState() : null;
        return state != null && (state.startsWith("08") || state.startsWith("57") || state.startsWith("40"));
    }
}
