package io.hanse.kernel.store.internal;

import io.hanse.kernel.store.Database;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.sql.DataSource;
import org.ops4j.pax.jdbc.pool.common.PooledDataSourceFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pooled, JTA-aware data source all Hanse bundles share, and registers it as soon as
 * the JDBC driver its URL needs is there.
 * <p>
 * The data source is registered with {@code osgi.jndi.service.name=hanse}, the name persistence
 * units refer to; a {@link Database} service describing it is registered beside it.
 */
@Component(configurationPid = DatabaseConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = DatabaseConfig.class)
public final class DatabaseProvider {

    /** The service property value persistence units select the shared data source by. */
    static final String DATA_SOURCE_NAME = "hanse";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseProvider.class);

    private final ServiceTracker<DataSourceFactory, Registered> drivers;

    @Activate
    public DatabaseProvider(BundleContext context, DatabaseConfig config,
            @Reference(target = "(&(pool=dbcp2)(xa=true))") PooledDataSourceFactory pools) {
        DatabaseSettings settings = DatabaseSettings.of(config.url(), config.user(), config.password(),
                config.maxConnections(), config.connectionWaitMillis(), dataDirectory(context));
        this.drivers = new ServiceTracker<>(context, driverFilter(context, settings), null) {
            @Override
            public Registered addingService(ServiceReference<DataSourceFactory> reference) {
                if (!isEmpty()) {
                    return null; // a second registration of the same driver adds nothing
                }
                return register(context, settings, pools, context.getService(reference));
            }

            @Override
            public void removedService(ServiceReference<DataSourceFactory> reference, Registered registered) {
                registered.close();
                context.ungetService(reference);
            }
        };
        LOG.info("Database: {}", settings);
        drivers.open();
    }

    @Deactivate
    void deactivate() {
        drivers.close();
    }

    private static Path dataDirectory(BundleContext context) {
        String data = context.getProperty("karaf.data");
        if (data == null) {
            throw new IllegalStateException("karaf.data is not set, so there is no place for the embedded database");
        }
        return Path.of(data);
    }

    private static Filter driverFilter(BundleContext context, DatabaseSettings settings) {
        try {
            return context.createFilter("(&(objectClass=" + DataSourceFactory.class.getName() + ")("
                    + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=" + settings.driverClass() + "))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Registered register(BundleContext context, DatabaseSettings settings,
            PooledDataSourceFactory pools, DataSourceFactory driver) {
        DataSource dataSource;
        try {
            dataSource = pools.create(driver, settings.poolProperties());
        } catch (SQLException e) {
            LOG.error("Cannot set up the {} database at {}: {}", settings.kind(), settings.displayUrl(),
                    e.getMessage());
            return null;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.jndi.service.name", DATA_SOURCE_NAME);
        properties.put("hanse.database.kind", settings.kind().name());
        ServiceRegistration<DataSource> dataSourceRegistration =
                context.registerService(DataSource.class, dataSource, properties);
        ServiceRegistration<Database> databaseRegistration = context.registerService(Database.class,
                new PooledDatabase(settings, dataSource), properties);
        return new Registered(dataSource, dataSourceRegistration, databaseRegistration);
    }

    /** What one driver gave rise to, undone in reverse order. */
    private record Registered(DataSource dataSource, ServiceRegistration<DataSource> dataSourceRegistration,
            ServiceRegistration<Database> databaseRegistration) {

        void close() {
            databaseRegistration.unregister();
            dataSourceRegistration.unregister();
            if (dataSource instanceof AutoCloseable pool) {
                try {
                    pool.close();
                } catch (Exception e) {
                    LOG.warn("Closing the connection pool failed: {}", e.toString());
                }
            }
        }
    }
}
