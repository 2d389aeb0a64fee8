package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.UnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.sql.DataSource;
import javax.transaction.HeuristicMixedException;
import javax.transaction.HeuristicRollbackException;
import javax.transaction.InvalidTransactionException;
import javax.transaction.NotSupportedException;
import javax.transaction.RollbackException;
import javax.transaction.Status;
import javax.transaction.SystemException;
import javax.transaction.Transaction;
import javax.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.h2.Driver;
import org.h2.util.OsgiDataSourceFactory;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.osgi.PGDataSourceFactory;

/** The pool Hanse shares, built as {@link DatabaseProvider} builds it, against a real PostgreSQL. */
class PooledDatabaseTest {

    @TempDir
    Path data;

    @Test
    void aDatabaseThatStopsAnsweringFailsPingsInSecondsInsteadOfHangingThem() throws Exception {
        String[] server = System.getenv().getOrDefault("HANSE_TEST_POSTGRES", "127.0.0.1:5432")
                .split(":");
        try (SilentProxy proxy = new SilentProxy(server[0], Integer.parseInt(server[1]))) {
            DatabaseSettings settings = DatabaseSettings.of("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres",
                    "postgres", "", 4, 10_000, data);
            DataSource pool = DatabaseProvider.pooled(settings,
                    new PGDataSourceFactory().createXADataSource(settings.connectionProperties()), new NoTransactions());
            PooledDatabase database = new PooledDatabase(settings, pool);
            database.ping(); // a connection in the pool, valid
            proxy.silence();

            // Not a measure of speed: without limits the borrow waits for the operating system to give
            // up on the connection, about 15 minutes; 30 s tells that apart on the slowest machine.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                assertThrows(UnavailableException.class, database::ping);
            });
            ((AutoCloseable) pool).close();
        }
    }

    @Test
    void theEmbeddedDatabaseIsBackedUpWhileItRunsIntoAZipThatRestoresIt() throws Exception {
        DatabaseSettings settings = DatabaseSettings.of("", "", "", 4, 10_000, data);
        PrivateDirectory.secure(data.resolve("hanse"));
        DataSource pool = DatabaseProvider.pooled(settings,
                new OsgiDataSourceFactory(new Driver()).createXADataSource(settings.connectionProperties()),
                new NoTransactions());
        PooledDatabase database = new PooledDatabase(settings, pool);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes (text VARCHAR(20))");
            statement.execute("INSERT INTO notes VALUES ('kept')");
        }
        Path backup = data.resolve("backups/first.zip");
        Files.createDirectories(backup.getParent());

        database.backUp(backup);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        assertEquals(List.of(backup), Files.list(backup.getParent()).toList(), "nothing left beside it");
        Path link = Files.createSymbolicLink(data.resolve("backups/link.zip"), data.resolve("elsewhere.zip"));
        assertThrows(ConflictException.class, () -> database.backUp(link), "a link is not followed");
        assertEquals("There is no directory " + data.resolve("nowhere"), assertThrows(InvalidRequestException.class,
                () -> database.backUp(data.resolve("nowhere/backup.zip"))).getMessage());
        assertFalse(Files.exists(data.resolve("elsewhere.zip")));
        assertEquals(backup + " exists already",
                assertThrows(ConflictException.class, () -> database.backUp(backup)).getMessage(),
                "never over one made before");
        ((AutoCloseable) pool).close();
        Path restored = data.resolve("restored/hanse");
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(backup))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Files.createDirectories(restored);
                Files.copy(zip, restored.resolve(entry.getName()));
            }
        }
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + restored.resolve("hanse"));
                ResultSet notes = connection.createStatement().executeQuery("SELECT text FROM notes")) {
            assertTrue(notes.next());
            assertEquals("kept", notes.getString(1));
        }
    }

    @Test
    void postgresqlIsBackedUpWithItsOwnTools() {
        DatabaseSettings settings = DatabaseSettings.of("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "",
                4, 10_000, data);
        PooledDatabase database = new PooledDatabase(settings, null);

        ConflictException refused = assertThrows(ConflictException.class,
                () -> database.backUp(data.resolve("hanse.zip")));

        assertTrue(refused.getMessage().contains("pg_dump"), refused.getMessage());
    }

    /** A transaction manager with no transaction: the pool asks it, but these tests begin none. */
    private static final class NoTransactions implements TransactionManager {
        @Override
        public Transaction getTransaction() {
            return null;
        }

        @Override
        public int getStatus() {
            return Status.STATUS_NO_TRANSACTION;
        }

        @Override
        public void begin() throws NotSupportedException {
            throw new NotSupportedException();
        }

        @Override
        public void commit() throws RollbackException, HeuristicMixedException, HeuristicRollbackException {
            throw new IllegalStateException("no transaction");
        }

        @Override
        public void rollback() {
            throw new IllegalStateException("no transaction");
        }

        @Override
        public void setRollbackOnly() {
            throw new IllegalStateException("no transaction");
        }

        @Override
        public void setTransactionTimeout(int seconds) {
        }

        @Override
        public Transaction suspend() {
            return null;
        }

        @Override
        public void resume(Transaction transaction) throws InvalidTransactionException, SystemException {
            throw new InvalidTransactionException();
        }
    }
}
