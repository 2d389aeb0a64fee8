package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.UnavailableException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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
                    new PGDataSourceFactory().createXADataSource(settings.connectionProperties()),
                    new NoTransactions());
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
    void aServerThatAcceptsConnectionsButNeverAnswersFailsPingsAndTransactionsAsUnavailable() throws Exception {
        String[] server = System.getenv().getOrDefault("HANSE_TEST_POSTGRES", "127.0.0.1:5432").split(":");
        try (SilentProxy proxy = new SilentProxy(server[0], Integer.parseInt(server[1]))) {
            proxy.silence();
            // The URL's own timeouts (and the driver's 5 s for an answer to its TLS request) are longer than a
            // ping may take; the defaults apply to the work.
            DatabaseSettings patient = DatabaseSettings.of("jdbc:postgresql://127.0.0.1:" + proxy.port()
                    + "/postgres?loginTimeout=40&connectTimeout=40&sslResponseTimeout=40000", "postgres", "", 2,
                    10_000, data);
            DatabaseSettings settings = DatabaseSettings.of("jdbc:postgresql://127.0.0.1:" + proxy.port()
                    + "/postgres", "postgres", "", 2, 10_000, data);
            DataSource patientPool = pool(patient);
            DataSource pool = pool(settings);
            PooledDatabase database = new PooledDatabase(patient, patientPool);

            // Only a safety net: without the limits, these wait for the operating system (minutes).
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                UnavailableException unanswered = assertThrows(UnavailableException.class, database::ping);
                assertTrue(unanswered.getMessage().endsWith("did not answer within 5 s"), unanswered.getMessage());
                assertEquals(Duration.ofSeconds(10), unanswered.retryAfter().orElse(null));
                UnavailableException again = assertThrows(UnavailableException.class, database::ping);
                assertTrue(again.getMessage().endsWith("did not answer within 5 s"), again.getMessage());

                UnavailableException failed = assertThrows(UnavailableException.class,
                        () -> new Jdbc(pool).inTransaction(connection -> null));
                assertEquals("The database cannot be reached at the moment; try again shortly.", failed.getMessage());
            });
            ((AutoCloseable) pool).close();
            ((AutoCloseable) patientPool).close();
        }
    }

    @Test
    void aPoolWithNoConnectionToHandOutIsUnavailableWithRetryAfterNotAFault() throws Exception {
        DatabaseSettings settings = postgres("postgres", "postgres", 1, 200);
        DataSource pool = pool(settings);
        PooledDatabase database = new PooledDatabase(settings, pool);
        try (Connection held = pool.getConnection()) {
            UnavailableException refused = assertThrows(UnavailableException.class,
                    () -> new Jdbc(pool).inTransaction(connection -> Jdbc.select(connection, "SELECT 1",
                            row -> row.getInt(1))));
            assertEquals("The database cannot be reached at the moment; try again shortly.", refused.getMessage());
            assertEquals(Duration.ofSeconds(10), refused.retryAfter().orElse(null));

            UnavailableException unanswered = assertThrows(UnavailableException.class, database::ping);
            assertTrue(unanswered.getMessage().endsWith("none of its 1 connections came free within 200 ms"),
                    unanswered.getMessage());
        }
        ((AutoCloseable) pool).close();
    }

    @Test
    void aDatabaseThatRefusesTheLoginIsNamedWithTheDriversReason() throws Exception {
        for (String[] refusal : List.of(new String[] {"hanse_no_such_db", "postgres",
                "database \"hanse_no_such_db\" does not exist"}, new String[] {"postgres", "hanse_no_such_role",
                "role \"hanse_no_such_role\" does not exist"})) {
            DatabaseSettings settings = postgres(refusal[0], refusal[1], 2, 10_000);
            DataSource pool = pool(settings);

            UnavailableException refused = assertThrows(UnavailableException.class,
                    new PooledDatabase(settings, pool)::ping);

            assertTrue(refused.getMessage().endsWith(refusal[2]), refused.getMessage());
            assertFalse(refused.getMessage().contains("from the pool"), refused.getMessage());
            ((AutoCloseable) pool).close();
        }
    }

    @Test
    void aRefusedConnectionIsNamedAndItsPasswordIsNot() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        DatabaseSettings settings = DatabaseSettings.of("jdbc:postgresql://127.0.0.1:" + closed
                + "/hanse?password=s3cret", "hanse", "s3cret", 2, 10_000, data);
        DataSource pool = pool(settings);

        UnavailableException refused = assertThrows(UnavailableException.class,
                new PooledDatabase(settings, pool)::ping);

        assertTrue(refused.getMessage().contains("Connection to 127.0.0.1:" + closed + " refused"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
        assertEquals(Duration.ofSeconds(10), refused.retryAfter().orElse(null));
        UnavailableException failed = assertThrows(UnavailableException.class,
                () -> new Jdbc(pool).inTransaction(connection -> null));
        assertEquals("The database cannot be reached at the moment; try again shortly.", failed.getMessage());
        ((AutoCloseable) pool).close();
    }

    @Test
    void workOnADatabaseThatRefusesTheConnectionIsUnavailableWhateverTheServerSaysWhy() throws Exception {
        String refusing = "hanse_refusing_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        administer("CREATE DATABASE " + refusing);
        try {
            administer("ALTER DATABASE " + refusing + " ALLOW_CONNECTIONS false");
            // SQLSTATE 55000, 3D000 and 28000: none of them names a connection, as class 08 does.
            for (DatabaseSettings settings : List.of(postgres(refusing, "postgres", 2, 10_000),
                    postgres("hanse_no_such_db", "postgres", 2, 10_000),
                    postgres("postgres", "hanse_no_such_role", 2, 10_000))) {
                DataSource pool = pool(settings);

                UnavailableException refused = assertThrows(UnavailableException.class,
                        () -> new Jdbc(pool).inTransaction(connection -> null), settings.displayUrl());

                assertEquals("The database cannot be reached at the moment; try again shortly.", refused.getMessage(),
                        settings.displayUrl());
                assertEquals(Duration.ofSeconds(10), refused.retryAfter().orElse(null), settings.displayUrl());
                ((AutoCloseable) pool).close();
            }
        } finally {
            administer("DROP DATABASE IF EXISTS " + refusing + " WITH (FORCE)");
        }
    }

    @Test
    void aStatementRefusedOnAConnectionHadIsAFaultThoughItsSqlStateIsOneALoginMayBeRefusedWith() throws Exception {
        DataSource pool = pool(postgres("postgres", "postgres", 2, 10_000));

        IllegalStateException fault = assertThrows(IllegalStateException.class,
                () -> new Jdbc(pool).inTransaction(connection -> {
                    Jdbc.execute(connection, "CREATE TEMPORARY SEQUENCE hanse_unused");
                    return Jdbc.select(connection, "SELECT currval('hanse_unused')", row -> row.getLong(1));
                }));

        assertEquals("55000", ((SQLException) fault.getCause()).getSQLState(), fault.toString());
        ((AutoCloseable) pool).close();
    }

    private static void administer(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://"
                + System.getenv().getOrDefault("HANSE_TEST_POSTGRES", "127.0.0.1:5432") + "/postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private DatabaseSettings postgres(String name, String user, int connections, long waitMillis) {
        String server = System.getenv().getOrDefault("HANSE_TEST_POSTGRES", "127.0.0.1:5432");
        return DatabaseSettings.of("jdbc:postgresql://" + server + "/" + name, user, "", connections, waitMillis,
                data);
    }

    private static DataSource pool(DatabaseSettings settings) throws SQLException {
        return DatabaseProvider.pooled(settings,
                new PGDataSourceFactory().createXADataSource(settings.connectionProperties()), new NoTransactions());
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
