package io.hanse.kernel.store.internal;

import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.UnavailableException;
import io.hanse.api.store.DatabaseFailures;
import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.DatabaseBackup;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class PooledDatabase implements Database, DatabaseBackup {

    private static final Logger LOG = LoggerFactory.getLogger(PooledDatabase.class);

    /** How long a ping, and the pool's check of a connection it hands out, wait for the database. */
    static final int PING_TIMEOUT_SECONDS = 3;

    /**
     * How long a ping waits in all, whatever the database does. Getting the connection may take
     * longer than its check: the pool may wait for a free one ({@code connectionWaitMillis}), or log
     * in anew to a server that accepts the connection but never answers (the login timeout), 10 s
     * each by default, and health is asked by probes that give up sooner.
     */
    static final int PING_LIMIT_SECONDS = 5;

    private final DatabaseSettings settings;
    private final DataSource dataSource;
    /** The ping under way, which callers meanwhile wait for rather than start one more stuck thread. */
    private CompletableFuture<Void> probe; // guarded by this

    PooledDatabase(DatabaseSettings settings, DataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
    }

    @Override
    public Kind kind() {
        return settings.kind();
    }

    @Override
    public String url() {
        return settings.displayUrl();
    }

    /**
     * Checks the database on a thread of its own and waits at most {@link #PING_LIMIT_SECONDS} for the
     * answer; a check still under way when the next ping comes is waited for again, not repeated.
     */
    @Override
    public void ping() {
        CompletableFuture<Void> answer;
        synchronized (this) {
            if (probe == null || probe.isDone()) {
                probe = CompletableFuture.runAsync(this::check, PooledDatabase::daemon);
            }
            answer = probe;
        }
        try {
            answer.get(PING_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new UnavailableException("The database at " + url() + " did not answer within "
                    + PING_LIMIT_SECONDS + " s", DatabaseFailures.RETRY_AFTER);
        } catch (ExecutionException e) {
            // Thrown anew: callers that waited for the same check each get their own.
            throw new UnavailableException(e.getCause().getMessage(), DatabaseFailures.RETRY_AFTER, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("Interrupted while waiting for the database at " + url(), e);
        }
    }

    private static void daemon(Runnable check) {
        Thread thread = new Thread(check, "hanse-database-ping");
        thread.setDaemon(true);
        thread.start();
    }

    private void check() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(PING_TIMEOUT_SECONDS)) {
                throw new UnavailableException("The database at " + url() + " did not answer within "
                        + PING_TIMEOUT_SECONDS + " s", DatabaseFailures.RETRY_AFTER);
            }
        } catch (SQLException e) {
            throw new UnavailableException("The database at " + url() + " cannot be reached: "
                    + settings.redactFrom(reason(e)), DatabaseFailures.RETRY_AFTER, e);
        }
    }

    /**
     * Why no connection could be had, in the words of what refused it: the pool wraps the driver's
     * exception (a wrong password, a database that does not exist, a refused connection) in its own
     * "Unable to acquire a new connection from the pool", which alone gives the operator nothing to act on.
     */
    private String reason(SQLException failure) {
        Throwable reason = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoSuchElementException && cause.getCause() == null) { // waited in vain
                return "none of its " + settings.maxConnections() + " connections came free within "
                        + settings.connectionWaitMillis() + " ms";
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                reason = cause; // the driver's, which tells the SQLSTATE too
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return reason.getMessage();
    }

    @Override
    public void backUp(Path target) {
        if (kind() != Kind.H2) {
            throw new ConflictException("Hanse backs up its embedded database only; back up PostgreSQL with its own"
                    + " tools, such as pg_dump -Fc");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConflictException(target + " exists already");
        }
        // Written beside the target into a file made for it, new and readable by its owner only whatever
        // the umask, then moved there, which follows no link and replaces nothing.
        Path part;
        try {
            part = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName() + ".", ".part");
        } catch (NoSuchFileException e) {
            throw new InvalidRequestException("There is no directory " + target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UnavailableException("Could not back up the database to " + target + ": " + e, e);
        }
        try {
            // H2 copies its file and the changes under way: the copy holds what was committed at one moment.
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("BACKUP TO '" + part.toString().replace("'", "''") + "'");
            }
            Files.move(part, target);
        } catch (FileAlreadyExistsException e) {
            throw new ConflictException(target + " exists already");
        } catch (SQLException | IOException e) {
            throw new UnavailableException("Could not back up the database to " + target + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                LOG.warn("Could not delete {}, a backup that failed: {}", part, e.toString());
            }
        }
    }
}
