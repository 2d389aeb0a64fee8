package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.UnavailableException;
import io.hanse.testing.KernelDatabase;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the plugin takes for its database being out of reach, which holds staleness back, and what not. */
class SqlTest {

    private final KernelDatabase database = KernelDatabase.h2().apply(SqlTest.class.getClassLoader(),
            "db/io.hanse.monitoring/changelog.xml");
    private final Sql sql = new Sql(database.dataSource());
    private final AtomicInteger told = new AtomicInteger();

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aConnectionLostOrRefusedTellsOfAnOutageAndWhatTheWorkDidWrongDoesNot() {
        sql.whenUnreachable(told::incrementAndGet);
        fail(new SQLException("duplicate key value violates unique constraint", "23505"));
        fail(new SQLException("deadlock detected", "40P01"));
        fail(new SQLException("canceling statement due to statement timeout", "57014"));
        assertEquals(0, told.get(), "the database is there");
        fail(new SQLException("An I/O error occurred while sending to the backend.", "08006"));
        fail(new SQLException("terminating connection due to administrator command", "57P01"));
        assertEquals(2, told.get());
    }

    /** Runs work that fails as the driver would, which the caller hears of as the database being unavailable. */
    private void fail(SQLException failure) {
        assertThrows(UnavailableException.class, () -> sql.inTransaction(connection -> {
            throw failure;
        }));
    }
}
