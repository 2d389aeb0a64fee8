package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.UnavailableException;
import io.hanse.testing.KernelDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the plugin takes for its database being out of reach, which holds staleness back and is the
 * kernel's 503, and what it does not.
 */
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
    void thePluginsClockTellsTimesToTheMicrosecondAsTheDatabasesKeepThem() {
        for (int i = 0; i < 100; i++) {
            Instant now = Sql.CLOCK.instant();
            assertEquals(now.truncatedTo(ChronoUnit.MICROS), now, "a time answered reads the same once stored");
        }
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

    @Test
    void aDatabaseThatCannotBeReachedIsTheKernelsUnavailableWithRetryAfter() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        PGSimpleDataSource refusing = new PGSimpleDataSource();
        refusing.setUrl("jdbc:postgresql://127.0.0.1:" + closed + "/hanse");
        Sql away = new Sql(refusing);
        away.whenUnreachable(told::incrementAndGet);

        UnavailableException refused = assertThrows(UnavailableException.class,
                () -> away.inTransaction(connection -> null));

        assertEquals("The database cannot be reached at the moment; try again shortly.", refused.getMessage());
        assertEquals(Duration.ofSeconds(10), refused.retryAfter().orElse(null));
        assertEquals(1, told.get(), "an outage");
    }

    /** Runs work that fails as the driver would, which the caller hears of as the database being unavailable. */
    private void fail(SQLException failure) {
        assertThrows(UnavailableException.class, () -> sql.inTransaction(connection -> {
            throw failure;
        }));
    }
}
