package io.hanse.api.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ConflictException;
import io.hanse.api.HanseException;
import io.hanse.api.UnavailableException;
import java.sql.SQLException;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a failure from the database layer means to whoever asked for the work. */
class DatabaseFailuresTest {

    @Test
    void aRefusalWrappedByALibraryIsTheRefusal() {
        ConflictException refused = new ConflictException("review weekly exists");

        assertSame(refused, DatabaseFailures.known(new IllegalStateException("rolled back",
                new RuntimeException(refused))).orElseThrow());
    }

    @Test
    void aLostConnectionADeadlockAndAnEmptyPoolAreUnavailableInTheKernelsWords() {
        for (Throwable failure : new Throwable[] {
                new RuntimeException("could not execute statement", new SQLException("Connection refused", "08001")),
                new SQLException("deadlock detected", "40P01"),
                new IllegalStateException("no connection", new SQLException("Unable to acquire a connection",
                        new NoSuchElementException("Timeout waiting for idle object")))}) {
            HanseException known = DatabaseFailures.known(failure).orElseThrow();

            assertTrue(known instanceof UnavailableException unavailable
                    && unavailable.retryAfter().equals(Optional.of(DatabaseFailures.RETRY_AFTER)), failure.toString());
            assertEquals("The database cannot be reached at the moment; try again shortly.", known.getMessage());
            assertSame(failure, known.getCause());
        }
    }

    @Test
    void aStatementTheDatabaseRefusesOrABugMeansNothingKnown() {
        assertTrue(DatabaseFailures.known(new RuntimeException(new SQLException("value too long", "22001")))
                .isEmpty());
        assertTrue(DatabaseFailures.known(new NullPointerException()).isEmpty());
    }
}
