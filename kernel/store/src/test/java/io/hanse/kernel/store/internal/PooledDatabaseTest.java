package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.hanse.api.UnavailableException;
import java.nio.file.Path;
import java.time.Duration;
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
