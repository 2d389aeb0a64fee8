package io.hanse.api.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database failure that trying again may cure from one that it will not: the same
 * statement, refused for its values or by a constraint, is refused again.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * Returns whether the failure, or one of its causes, is one a retry may cure: a connection that
     * could not be had or was lost (SQLSTATE class 08), an administrator's shutdown (57) or a
     * transaction rolled back by a deadlock or a serialization conflict (40).
     */
    public static boolean retryable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (retryableItself(cause)) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether this failure itself, not looking at its causes, is one a retry may cure. */
    public static boolean retryableItself(Throwable failure) {
        if (failure instanceof SQLTransientConnectionException) {
            return true;
        }
        String state = failure instanceof SQLException sql ? sql.getSQLState() : null;
        return state != null && (state.startsWith("08") || state.startsWith("57") || state.startsWith("40"));
    }
}
