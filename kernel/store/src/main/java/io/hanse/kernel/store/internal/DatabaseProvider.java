package io.hanse.kernel.store.internal;

import io.hanse.api.UnavailableException;
import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.DatabaseBackup;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import javax.sql.XADataSource;
import javax.transaction.TransactionManager;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.managed.DataSourceXAConnectionFactory;
import org.apache.commons.dbcp2.managed.ManagedDataSource;
import org.apache.commons.dbcp2.managed.PoolableManagedConnectionFactory;
import org.apache.commons.dbcp2.managed.TransactionRegistry;
import org.apache.commons.pool2.ObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
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
 * Builds the pooled, JTA-aware data source all Hanse bundles share and registers it once the
 * database answers.
 * <p>
 * The pool is Commons DBCP's, enlisting its connections with the transaction manager this component
 * is bound to. It is built here rather than by pax-jdbc's pooled data source factory, whose tracker
 * of the transaction manager can end with none when the transaction manager is replaced while it
 * starts (as pax-transx does once its configuration arrives): the XA factory never came back and
 * Hanse waited for its database for ever. Declarative services bind the replacement instead.
 * <p>
 * As soon as the JDBC driver the URL needs is there, a {@link Database} service describes the
 * database, so health can say what is wrong. The data source itself, with
 * {@code osgi.jndi.service.name=hanse} as persistence units select it, is registered only once a
 * connection succeeds; until then everything that needs the database waits, and the provider
 * keeps trying with growing pauses. A database that is down at start thus delays Hanse instead of
 * breaking it.
 */
@Component(configurationPid = DatabaseConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = DatabaseConfig.class)
public final class DatabaseProvider {

    /** The service property value persistence units select the shared data source by. */
    static final String DATA_SOURCE_NAME = "hanse";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseProvider.class);
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    private final BundleContext context;
    private final DatabaseSettings settings;
    private final TransactionManager transactions;
    private final ServiceTracker<DataSourceFactory, DataSourceFactory> drivers;
    /** The drivers there are, best last (highest ranking, then oldest), as the tracker reports them. */
    private final ConcurrentSkipListMap<ServiceReference<DataSourceFactory>, DataSourceFactory> available =
            new ConcurrentSkipListMap<>();
    /** Runs every change of state, one at a time, off the framework's event threads. */
    private final ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "hanse-database");
        thread.setDaemon(true);
        return thread;
    });

    // Touched only on the worker thread.
    private Pool pool;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private ScheduledFuture<?> retry;

    @Activate
    public DatabaseProvider(BundleContext context, DatabaseConfig config,
            @Reference TransactionManager transactions) {
        this.context = context;
        Path data = dataDirectory(context);
        this.settings = DatabaseSettings.of(config.url(), config.user(), config.password(),
                config.maxConnections(), config.connectionWaitMillis(), data);
        if (config.url().isBlank()) {
            // The embedded database holds the federation's private key and the password hashes.
            PrivateDirectory.secure(data.resolve(DatabaseSettings.EMBEDDED_PATH).getParent());
        }
        this.transactions = transactions;
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.drivers = new ServiceTracker<>(context, driverFilter(context, settings), null) {
            @Override
            public DataSourceFactory addingService(ServiceReference<DataSourceFactory> reference) {
                DataSourceFactory driver = super.addingService(reference);
                if (driver != null) {
                    available.put(reference, driver);
                    worker.execute(DatabaseProvider.this::reconcile);
                }
                return driver;
            }

            @Override
            public void removedService(ServiceReference<DataSourceFactory> reference, DataSourceFactory driver) {
                available.remove(reference);
                worker.execute(DatabaseProvider.this::reconcile);
                super.removedService(reference, driver);
            }
        };
        LOG.info("Database: {}", settings);
        drivers.open();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        drivers.close();
        worker.execute(this::close);
        worker.shutdown();
        if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("The database provider did not stop within 30 s");
        }
    }

    /** Brings the registrations in line with the best driver there is and whether the database answers. */
    private void reconcile() {
        try {
            reconcileOrFail();
        } catch (RuntimeException e) {
            // The scheduled executor would keep it to itself, and Hanse would wait for its database
            // without a word; the driver's messages may hold the URL with its password.
            LOG.error("Setting up the {} database at {} failed: {}: {}", settings.kind(), settings.displayUrl(),
                    e.getClass().getName(), settings.redactFrom(e.getMessage()));
        }
    }

    private void reconcileOrFail() {
        Map.Entry<ServiceReference<DataSourceFactory>, DataSourceFactory> best = available.lastEntry();
        if (pool != null && (best == null || !pool.driver.equals(best.getKey()))) {
            close();
        }
        if (pool == null && best != null) {
            pool = open(best.getKey(), best.getValue());
        }
        if (pool != null && pool.dataSourceRegistration == null) {
            connect();
        }
    }

    private Pool open(ServiceReference<DataSourceFactory> driver, DataSourceFactory factory) {
        try {
            DataSource dataSource = pooled(factory);
            PooledDatabase database = new PooledDatabase(settings, dataSource);
            return new Pool(driver, dataSource, database,
                    context.registerService(new String[] {Database.class.getName(), DatabaseBackup.class.getName()},
                            database, properties()));
        } catch (SQLException | RuntimeException e) {
            LOG.error("Cannot set up a connection pool for the {} database at {}: {}", settings.kind(),
                    settings.displayUrl(), settings.redactFrom(e.getMessage()));
            return null;
        }
    }

    private DataSource pooled(DataSourceFactory factory) throws SQLException {
        return pooled(settings, factory.createXADataSource(settings.connectionProperties()), transactions);
    }

    /**
     * A pool of at most {@code maxConnections} connections from the driver's XA data source, which
     * waits at most {@code connectionWaitMillis} for one and checks each as it hands it out, so that
     * a database restart costs no request. The check waits as long as a ping's check of its connection:
     * without a limit, DBCP asks the driver whether a connection is valid with no timeout, and a
     * database that stopped answering without closing its connections held every request, and
     * health, until the operating system gave up on the connection (about 15 minutes).
     * <p>
     * A connection the pool cannot hand out fails as one that could not be established; see
     * {@link ConnectingDataSource}.
     */
    static DataSource pooled(DatabaseSettings settings, XADataSource driver, TransactionManager transactions) {
        DataSourceXAConnectionFactory connections = new DataSourceXAConnectionFactory(transactions, driver);
        PoolableManagedConnectionFactory made = new PoolableManagedConnectionFactory(connections, null);
        made.setValidationQueryTimeout(Duration.ofSeconds(PooledDatabase.PING_TIMEOUT_SECONDS));
        GenericObjectPoolConfig<PoolableConnection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(settings.maxConnections());
        config.setMaxIdle(settings.maxConnections());
        config.setMaxWait(Duration.ofMillis(settings.connectionWaitMillis()));
        config.setTestOnBorrow(true);
        config.setJmxNamePrefix("hanse");
        GenericObjectPool<PoolableConnection> pool = new GenericObjectPool<>(made, config);
        made.setPool(pool);
        return new ConnectingDataSource(pool, connections.getTransactionRegistry());
    }

    private void connect() {
        try {
            pool.database.ping();
        } catch (UnavailableException e) {
            if (retryMillis == FIRST_RETRY_MILLIS) {
                LOG.warn("{}; Hanse waits for it and tries again, at most every {} s", e.getMessage(),
                        MAX_RETRY_MILLIS / 1000);
            }
            if (retry == null) { // one retry at a time, however many events call for one
                retry = worker.schedule(() -> {
                    retry = null;
                    reconcile();
                }, retryMillis, TimeUnit.MILLISECONDS);
                retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
            }
            return;
        }
        retryMillis = FIRST_RETRY_MILLIS;
        pool.dataSourceRegistration = context.registerService(DataSource.class, pool.dataSource, properties());
        LOG.info("Database at {} answers; its data source is registered", settings.displayUrl());
    }

    private void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    private Dictionary<String, Object> properties() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.jndi.service.name", DATA_SOURCE_NAME);
        properties.put("hanse.database.kind", settings.kind().name());
        return properties;
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

    /**
     * The pool's data source, whose failure to hand out a connection is always one to establish it (SQLSTATE
     * 08001), with the pool's failure as its cause: the work never reached the database, which therefore
     * cannot be reached, whatever refused the connection. The server's own SQLSTATE says so only for some
     * refusals; a wrong password (28P01), a database that does not exist (3D000), refuses connections (55000)
     * or has too many (53300) read like refusals of the work, and failed a request as a fault (500) instead
     * of 503 with {@code Retry-After}. A statement failing on a connection handed out keeps its own.
     */
    private static final class ConnectingDataSource extends ManagedDataSource<PoolableConnection> {

        ConnectingDataSource(ObjectPool<PoolableConnection> pool, TransactionRegistry transactions) {
            super(pool, transactions);
        }

        @Override
        public Connection getConnection() throws SQLException {
            try {
                return super.getConnection();
            } catch (SQLException e) {
                throw new SQLException("No connection to the database could be had: " + e.getMessage(), "08001", e);
            }
        }
    }

    /** A connection pool on one driver, and what it has registered so far. */
    private static final class Pool {
        final ServiceReference<DataSourceFactory> driver;
        final DataSource dataSource;
        final PooledDatabase database;
        /** As {@link Database} and {@link DatabaseBackup}. */
        final ServiceRegistration<?> databaseRegistration;
        ServiceRegistration<DataSource> dataSourceRegistration;

        Pool(ServiceReference<DataSourceFactory> driver, DataSource dataSource, PooledDatabase database,
                ServiceRegistration<?> databaseRegistration) {
            this.driver = driver;
            this.dataSource = dataSource;
            this.database = database;
            this.databaseRegistration = databaseRegistration;
        }

        void close() {
            if (dataSourceRegistration != null) {
                dataSourceRegistration.unregister();
            }
            databaseRegistration.unregister();
            if (dataSource instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("Closing the connection pool failed: {}", e.toString());
                }
            }
        }
    }
}
