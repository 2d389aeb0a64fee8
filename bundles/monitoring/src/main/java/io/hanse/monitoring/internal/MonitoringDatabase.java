package io.hanse.monitoring.internal;

import io.hanse.api.store.SchemaMigrator;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import java.util.List;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The plugin's tables on the kernel's database, brought up to date before anything uses them. */
@Component(service = MonitoringDatabase.class)
public final class MonitoringDatabase {

    /** The tables whose rows name a system by slug and id. */
    private static final List<String> BY_SYSTEM = List.of("monitoring_check", "monitoring_downtime",
            "monitoring_review", "monitoring_review_item");

    private final Sql sql;

    @Activate
    public MonitoringDatabase(BundleContext context, @Reference SchemaMigrator migrator,
            @Reference(target = "(osgi.jndi.service.name=hanse)") DataSource dataSource,
            @Reference SystemService systems) {
        this(migrated(context, migrator, dataSource), systems);
    }

    /** The tables as the schema migration left them, with the ids it could not fill in filled in. */
    MonitoringDatabase(Sql sql, SystemService systems) {
        this.sql = sql;
        label(systems);
    }

    private static Sql migrated(BundleContext context, SchemaMigrator migrator, DataSource dataSource) {
        migrator.migrate(context.getBundle());
        return new Sql(dataSource);
    }

    Sql sql() {
        return sql;
    }

    /**
     * Labels the rows stored before the plugin kept systems' ids with the id of the system that has
     * their slug now; the schema migration cannot, as the plugin reaches the systems through the
     * kernel's API only. Rows under a slug no system has get {@link Follow#NO_SYSTEM}, and are
     * forgotten as their system's data when the parts that keep them follow their systems.
     */
    private void label(SystemService systems) {
        sql.inTransaction(connection -> {
            for (String table : BY_SYSTEM) {
                List<String> slugs = Sql.select(connection, "SELECT DISTINCT system FROM " + table
                        + " WHERE system_id IS NULL AND system IS NOT NULL", row -> row.getString(1));
                for (String slug : slugs) {
                    Sql.execute(connection, "UPDATE " + table + " SET system_id = ? WHERE system = ?"
                            + " AND system_id IS NULL", systems.find(slug).map(ManagedSystem::id)
                            .orElse(Follow.NO_SYSTEM), slug);
                }
            }
            return null;
        });
    }
}
