package io.hanse.kernel.store.internal;

import io.hanse.api.UnavailableException;
import io.hanse.api.store.SchemaMigrator;
import io.hanse.kernel.store.ChangeLogs;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import javax.sql.DataSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each bundle's Liquibase change log to the shared data source.
 */
@Component(service = SchemaMigrator.class)
public final class LiquibaseSchemaMigrator implements SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(LiquibaseSchemaMigrator.class);

    private final DataSource dataSource;

    @Activate
    public LiquibaseSchemaMigrator(
            @Reference(target = "(osgi.jndi.service.name=" + DatabaseProvider.DATA_SOURCE_NAME + ")")
            DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Where a bundle keeps its change log; the path is unique per bundle, as Liquibase needs. */
    static String changeLogOf(Bundle bundle) {
        return "db/" + bundle.getSymbolicName() + "/changelog.xml";
    }

    /**
     * Lets a migration take as long as it needs: the pool's connections give up on a statement after
     * the database's socket timeout (5 minutes on PostgreSQL), and an index on a large table can take
     * longer. Returns the timeout to restore, or -1 if the driver has none.
     */
    private static int lift(Connection connection) throws SQLException {
        try {
            int timeout = connection.getNetworkTimeout();
            if (timeout > 0) {
                connection.setNetworkTimeout(Runnable::run, 0);
            }
            return timeout;
        } catch (SQLFeatureNotSupportedException e) {
            return -1;
        }
    }

    private static void restore(Connection connection, int networkTimeout) throws SQLException {
        if (networkTimeout > 0) {
            connection.setNetworkTimeout(Runnable::run, networkTimeout);
        }
    }

    @Override
    public synchronized void migrate(Bundle owner) {
        String changeLog = changeLogOf(owner);
        if (owner.getEntry(changeLog) == null) {
            throw new IllegalArgumentException(owner.getSymbolicName() + " has no change log at " + changeLog);
        }
        BundleWiring wiring = owner.adapt(BundleWiring.class);
        if (wiring == null) {
            throw new IllegalArgumentException(owner.getSymbolicName() + " is not resolved");
        }
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            int networkTimeout = lift(connection);
            try {
                ChangeLogs.apply(connection, wiring.getClassLoader(), changeLog);
            } finally {
                restore(connection, networkTimeout);
            }
        } catch (SQLException e) {
            throw new UnavailableException("Migrating the schema of " + owner.getSymbolicName()
                    + " failed: no database connection: " + e.getMessage(), e);
        }
        LOG.info("Schema of {} is current ({} ms)", owner.getSymbolicName(),
                (System.nanoTime() - started) / 1_000_000);
    }
}
