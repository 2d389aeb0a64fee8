package io.hanse.kernel.store.internal;

import io.hanse.api.UnavailableException;
import io.hanse.api.store.SchemaMigrator;
import io.hanse.kernel.store.ChangeLogs;
import java.sql.Connection;
import java.sql.SQLException;
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
            ChangeLogs.apply(connection, wiring.getClassLoader(), changeLog);
        } catch (SQLException e) {
            throw new UnavailableException("Migrating the schema of " + owner.getSymbolicName()
                    + " failed: no database connection: " + e.getMessage(), e);
        }
        LOG.info("Schema of {} is current ({} ms)", owner.getSymbolicName(),
                (System.nanoTime() - started) / 1_000_000);
    }
}
