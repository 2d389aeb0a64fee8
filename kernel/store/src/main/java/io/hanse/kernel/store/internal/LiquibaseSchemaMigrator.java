package io.hanse.kernel.store.internal;

import io.hanse.api.UnavailableException;
import io.hanse.api.store.SchemaMigrator;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
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
            update(connection, wiring.getClassLoader(), changeLog);
        } catch (SQLException e) {
            throw new UnavailableException("Migrating the schema of " + owner.getSymbolicName()
                    + " failed: no database connection: " + e.getMessage(), e);
        }
        LOG.info("Schema of {} is current ({} ms)", owner.getSymbolicName(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Applies the change sets of a change log that are not yet applied on this connection. Public
     * for the kernel's test kit, which checks change logs outside the container.
     *
     * @param loader finds the change log and the files it includes
     * @throws UnavailableException if a change set fails, saying which
     */
    public static void update(Connection connection, ClassLoader loader, String changeLog) {
        Map<String, Object> scope = Map.of(
                Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor(loader),
                Scope.Attr.ui.name(), new LoggerUIService(),
                // Liquibase would otherwise report usage to its vendor over the internet.
                "liquibase.analytics.enabled", Boolean.FALSE);
        try {
            Scope.child(scope, () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changeLog)
                    // The summary goes to the log, not to whatever console the container has.
                    .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG,
                            DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection)))
                    .execute());
        } catch (Exception e) {
            throw new UnavailableException("Applying " + changeLog + " failed: " + e.getMessage(), e);
        }
    }
}
