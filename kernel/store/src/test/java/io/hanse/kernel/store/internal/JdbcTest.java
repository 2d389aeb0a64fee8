package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ConflictException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/** Transactions on a real PostgreSQL, at {@code HANSE_TEST_POSTGRES} as for the other tests. */
class JdbcTest {

    private static PGSimpleDataSource postgres() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl("jdbc:postgresql://" + System.getenv().getOrDefault("HANSE_TEST_POSTGRES", "127.0.0.1:5432")
                + "/postgres");
        dataSource.setUser("postgres");
        return dataSource;
    }

    @Test
    void theWorksOwnFailureIsThrownThoughUndoingItFailsTooWhichComesWithIt() {
        PGSimpleDataSource dataSource = postgres();
        ConflictException conflict = new ConflictException("system web exists already");

        // The connection is lost after the work decided on a conflict: the rollback cannot reach the database.
        ConflictException thrown = assertThrows(ConflictException.class, () -> new Jdbc(dataSource)
                .inTransaction(connection -> {
                    int backend = connection.unwrap(PGConnection.class).getBackendPID();
                    Jdbc.select(connection, "SELECT 1", row -> row.getInt(1));
                    try (Connection other = dataSource.getConnection()) {
                        Jdbc.select(other, "SELECT pg_terminate_backend(?)", row -> row.getBoolean(1), backend);
                    }
                    throw conflict;
                }));

        assertSame(conflict, thrown);
        assertTrue(thrown.getSuppressed().length > 0, "the rollback's failure comes with it");
        assertTrue(Arrays.stream(thrown.getSuppressed()).allMatch(SQLException.class::isInstance),
                Arrays.toString(thrown.getSuppressed()));
    }
}
