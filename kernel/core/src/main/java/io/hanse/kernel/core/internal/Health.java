package io.hanse.kernel.core.internal;

import io.hanse.api.instance.Instance;
import java.util.List;

/**
 * How this instance is doing.
 *
 * @param version the running Hanse version
 * @param instance this instance, or null while it is not yet known (the database is needed first)
 * @param database whether the database answers
 * @param problems every Hanse bundle or component that is not working, with the reason; empty when all are
 * @param configuration every configuration value in effect that was not allowed, with the value used instead;
 *     they leave the instance up, as what they configure runs on the value used
 */
public record Health(String version, Instance instance, DatabaseHealth database, List<String> problems,
        List<String> configuration) {

    /**
     * @param kind the database product, or null when no database is configured and running
     * @param problem why the database cannot be used, or null when it answers
     */
    public record DatabaseHealth(String kind, String problem) {

        public boolean reachable() {
            return problem == null;
        }
    }

    public boolean up() {
        return instance != null && database.reachable() && problems.isEmpty();
    }
}
