package io.hanse.kernel.store;

import io.hanse.api.UnavailableException;
import java.sql.Connection;
import java.util.Map;
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

/**
 * Runs Liquibase the way Hanse does, in the container and in the test kit alike.
 */
public final class ChangeLogs {

    private ChangeLogs() {
    }

    /**
     * Applies the change sets of a change log that are not yet applied on this connection.
     *
     * @param loader finds the change log and the files it includes
     * @throws UnavailableException if a change set fails, saying which
     */
    public static void apply(Connection connection, ClassLoader loader, String changeLog) {
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
