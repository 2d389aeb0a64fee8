package io.hanse.monitoring.internal;

import io.hanse.api.store.SchemaMigrator;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The plugin's tables on the kernel's database, brought up to date before anything uses them. */
@Component(service = MonitoringDatabase.class)
public final class MonitoringDatabase {

    private final Sql sql;

    @Activate
    public MonitoringDatabase(BundleContext context, @Reference SchemaMigrator migrator,
            @Reference(target = "(osgi.jndi.service.name=hanse)") DataSource dataSource) {
        migrator.migrate(context.getBundle());
        this.sql = new Sql(dataSource);
    }

    Sql sql() {
        return sql;
    }
}
