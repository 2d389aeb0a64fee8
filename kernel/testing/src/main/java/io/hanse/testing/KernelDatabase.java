package io.hanse.testing;

import io.hanse.kernel.store.ChangeLogs;
import io.hanse.kernel.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database with the kernel's tables, for tests of the kernel's stores and of code built on
 * them: an in-memory H2 database, or a PostgreSQL database of its own on the server at
 * {@code HANSE_TEST_POSTGRES} (default {@code 127.0.0.1:5432}, user {@code postgres}, trust
 * authentication), dropped on {@link #close()}.
 */
public final class KernelDatabase implements AutoCloseable {

    private static final String KERNEL_CHANGE_LOG = "db/io.hanse.kernel.store/changelog.xml";

    private final Database.Kind kind;
    private final ThrowawayDatabase throwaway;
    private final DataSource dataSource;
    private final Connection keepAlive;

    private KernelDatabase(Database.Kind kind, ThrowawayDatabase throwaway, DataSource dataSource) {
        this.kind = kind;
        this.throwaway = throwaway;
        this.dataSource = dataSource;
        try {
            keepAlive = dataSource.getConnection();
            ChangeLogs.apply(keepAlive, KernelDatabase.class.getClassLoader(), KERNEL_CHANGE_LOG);
        } catch (SQLException e) {
            throwaway.close();
            throw new AssertionError("Cannot open " + throwaway.url() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies a plugin's change log, such as {@code db/io.hanse.monitoring/changelog.xml}, found
     * through the class loader: the plugin's tables beside the kernel's.
     */
    public KernelDatabase apply(ClassLoader loader, String changeLog) {
        ChangeLogs.apply(keepAlive, loader, changeLog);
        return this;
    }

    /** Returns a new in-memory H2 database with the kernel's tables. */
    public static KernelDatabase h2() {
        ThrowawayDatabase throwaway = ThrowawayDatabase.h2();
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(throwaway.url());
        return new KernelDatabase(Database.Kind.H2, throwaway, dataSource);
    }

    /**
     * Returns a new PostgreSQL database with the kernel's tables.
     *
     * @throws AssertionError if PostgreSQL cannot be reached, saying how to make it reachable
     */
    public static KernelDatabase postgres() {
        ThrowawayDatabase throwaway = ThrowawayDatabase.postgres();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(throwaway.url());
        return new KernelDatabase(Database.Kind.POSTGRESQL, throwaway, dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Returns the database as the kernel's stores see it. */
    public Database database() {
        return new Database() {
            @Override
            public Kind kind() {
                return kind;
            }

            @Override
            public String url() {
                return throwaway.url();
            }

            @Override
            public void ping() {
            }
        };
    }

    @Override
    public void close() {
        try {
            keepAlive.close();
        } catch (SQLException e) {
            throw new AssertionError("Cannot close " + throwaway.url(), e);
        } finally {
            throwaway.close();
        }
    }
}
