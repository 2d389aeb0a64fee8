package io.hanse.testing;

import io.hanse.kernel.store.ChangeLogs;
import io.hanse.kernel.store.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
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
    private static final String SERVER = System.getenv().getOrDefault("HANSE_TEST_POSTGRES", "127.0.0.1:5432");

    private final Database.Kind kind;
    private final String url;
    private final DataSource dataSource;
    private final Runnable drop;
    private final Connection keepAlive;

    private KernelDatabase(Database.Kind kind, String url, DataSource dataSource, Runnable drop) {
        this.kind = kind;
        this.url = url;
        this.dataSource = dataSource;
        this.drop = drop;
        try {
            keepAlive = dataSource.getConnection();
            ChangeLogs.apply(keepAlive, KernelDatabase.class.getClassLoader(), KERNEL_CHANGE_LOG);
        } catch (SQLException e) {
            throw new AssertionError("Cannot open " + url + ": " + e.getMessage(), e);
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
        String url = "jdbc:h2:mem:kernel-" + UUID.randomUUID();
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        return new KernelDatabase(Database.Kind.H2, url, dataSource, () -> { });
    }

    /**
     * Returns a new PostgreSQL database with the kernel's tables.
     *
     * @throws AssertionError if PostgreSQL cannot be reached, saying how to make it reachable
     */
    public static KernelDatabase postgres() {
        String name = "hanse_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String admin = "jdbc:postgresql://" + SERVER + "/postgres?user=postgres";
        try {
            execute(admin, "CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + SERVER + " (" + e.getMessage()
                    + "). Start it (.ci/run does: pg_ctlcluster --skip-systemctl-redirect <version> main start)"
                    + " or point HANSE_TEST_POSTGRES at another host:port.", e);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://" + SERVER + "/" + name + "?user=postgres");
        return new KernelDatabase(Database.Kind.POSTGRESQL, dataSource.getURL(), dataSource, () -> {
            try {
                execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("Could not drop test database " + name + ": " + e.getMessage());
            }
        });
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
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
                return url;
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
            throw new AssertionError("Cannot close " + url, e);
        } finally {
            drop.run();
        }
    }
}
