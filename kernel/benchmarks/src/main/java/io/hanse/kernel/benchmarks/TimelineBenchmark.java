package io.hanse.kernel.benchmarks;

import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.ChangeLogs;
import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.EventFilter;
import io.hanse.kernel.store.StoredEvent;
import io.hanse.kernel.store.internal.JdbcEventStore;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Benchmarks the timeline's store, {@link JdbcEventStore}, on PostgreSQL: sustained batched append
 * and the newest events of a wide aggregate, each beside a baseline measured in the same run.
 * <p>
 * The program creates a fresh database {@code hanse_bench_<random>} on 127.0.0.1:5432 (user
 * {@code postgres}, or {@code PGUSER}/{@code PGHOST}/{@code PGPORT}), applies the kernel's change
 * log to it, and drops it at the end, also when interrupted. Each thread keeps one connection, as a
 * pool would hand it.
 * <ul>
 * <li>Append: 1 and 2 threads each insert batches of 500 events (about 200-byte JSON bodies, spread
 * over 100,000 system ids) for 5 s of warm-up and 20 s measured, through {@code insert}. Baseline:
 * the same rows into a plain table with the same columns, no index and no unique constraint, by a
 * JDBC batch {@code INSERT} with {@code reWriteBatchedInserts=true}: the database's own ceiling.
 * Store and plain runs alternate, so both tables grow alike.</li>
 * <li>Query: with at least 1,000,000 events over 100,000 systems (topped up through
 * {@code insert}, then {@code VACUUM ANALYZE}), {@code query} the newest 101 events of a random
 * set of 10,000 (and, for comparison, 100 and 1,000) systems, 200 times after 20 to warm up, or
 * as many as fit in 60 s. Baseline: the same query for one system. Two alternatives are timed
 * beside it, checked to return the same events: the store's SQL with custom plans forced, and a
 * LATERAL merge of each system's newest events. The plans of the 10,000-system query are printed:
 * as a new statement gets it, as the cached generic plan, and of the LATERAL query.</li>
 * </ul>
 * Run it with {@code kernel/benchmarks/run.sh timeline [append|query]} from the repository root;
 * {@code query} alone loads the 1,000,000 events and runs the queries.
 */
public final class TimelineBenchmark {

    private static final String CHANGE_LOG = "db/io.hanse.kernel.store/changelog.xml";
    private static final int SYSTEMS = 100_000;
    private static final int BATCH = 500;
    private static final int WARM_UP_SECONDS = 5;
    private static final int RUN_SECONDS = 20;
    private static final long LOADED = 1_000_000;
    private static final int WARM_UP_QUERIES = 20;
    private static final int QUERIES = 200;
    private static final int LIMIT = 101;
    private static final String[] TYPES = {"monitoring.result", "monitoring.result", "deploy.finished",
        "ticket.updated"};
    private static final String COLUMNS =
            "id, type, system_id, system_slug, time, recorded, source_kind, source_name, origin, body";
    private static final String PLAIN_INSERT = "INSERT INTO bench_event_plain (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** What JdbcEventStore.query sends for a set of systems and a limit, and nothing else. */
    private static final String STORE_QUERY = "SELECT seq, " + COLUMNS + " FROM hanse_event WHERE 1 = 1"
            + " AND system_id = ANY(?) ORDER BY time DESC, seq DESC LIMIT " + LIMIT;

    /**
     * Makes PostgreSQL plan the query with the array's values, as it does for a new statement, instead
     * of reusing the generic plan it caches for a statement the driver has prepared on the server.
     */
    private static final String CUSTOM_PLAN = "SET LOCAL plan_cache_mode = force_custom_plan";
    /** Per system, the newest keys from (system_id, time, seq), merged; then the rows of the winners. */
    private static final String LATERAL_QUERY = "SELECT e.seq, " + prefixed("e.") + " FROM (SELECT t.seq, t.time"
            + " FROM unnest(?::uuid[]) AS m(id) CROSS JOIN LATERAL (SELECT h.seq, h.time FROM hanse_event h"
            + " WHERE h.system_id = m.id ORDER BY h.time DESC, h.seq DESC LIMIT " + LIMIT + ") t"
            + " ORDER BY t.time DESC, t.seq DESC LIMIT " + LIMIT + ") top"
            + " JOIN hanse_event e ON e.seq = top.seq ORDER BY e.time DESC, e.seq DESC";
    /** Longest a query measure may warm up and then run: a slow one stops early and says how many it ran. */
    private static final long WARM_UP_BUDGET_NANOS = 15_000_000_000L;
    private static final long QUERY_BUDGET_NANOS = 60_000_000_000L;
    /** Fewest timed queries, whatever the budget. */
    private static final int QUERIES_AT_LEAST = 3;

    /** Seeds of the event generators: each generator makes ids no other one makes. */
    private static final AtomicLong SEEDS = new AtomicLong(1_000);
    /** Held, so that the level set on it stays: Liquibase's info lines would drown the figures. */
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    private TimelineBenchmark() {
    }

    /** Writes one batch of events somewhere. */
    @FunctionalInterface
    private interface Appender {
        void append(List<Event> batch) throws SQLException;
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code append} or {@code query} for only that part; both when empty
     */
    public static void main(String[] args) throws SQLException, InterruptedException {
        String part = args.length == 0 ? "all" : args[0];
        if (!Set.of("all", "append", "query").contains(part)) {
            throw new IllegalArgumentException("usage: TimelineBenchmark [append|query]");
        }
        LIQUIBASE_LOG.setLevel(Level.WARNING);
        String name = "hanse_bench_" + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
        PGSimpleDataSource admin = dataSource("postgres");
        execute(admin, "CREATE DATABASE " + name);
        PGSimpleDataSource bench = dataSource(name);
        ThreadConnections connections = new ThreadConnections(bench);
        AtomicBoolean dropped = new AtomicBoolean();
        Runnable drop = () -> {
            if (dropped.compareAndSet(false, true)) {
                connections.close();
                try {
                    execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                    System.out.println("Dropped database " + name);
                } catch (SQLException e) {
                    System.err.println("Could not drop database " + name + ": " + e.getMessage());
                }
            }
        };
        Thread hook = new Thread(drop, "drop-benchmark-database");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            System.out.println("Created database " + name + " on " + admin.getServerNames()[0]);
            prepare(bench);
            run(connections, !part.equals("query"), !part.equals("append"));
        } finally {
            drop.run();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    /** Applies the kernel's change log and makes the baseline's table, on a connection of its own. */
    private static void prepare(DataSource dataSource) throws SQLException {
        System.out.println(Postgres.settings(dataSource));
        try (Connection connection = dataSource.getConnection()) {
            ChangeLogs.apply(connection, TimelineBenchmark.class.getClassLoader(), CHANGE_LOG);
            connection.setAutoCommit(true); // Liquibase leaves it off
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE bench_event_plain (seq bigserial, id varchar(200) NOT NULL,"
                        + " type varchar(100) NOT NULL, system_id uuid NOT NULL, system_slug varchar(63) NOT NULL,"
                        + " time timestamptz NOT NULL, recorded timestamptz NOT NULL, source_kind varchar(16) NOT NULL,"
                        + " source_name varchar(200) NOT NULL, origin varchar(63) NOT NULL, body text NOT NULL)");
            }
        }
    }

    private static void run(ThreadConnections connections, boolean append, boolean query)
            throws SQLException, InterruptedException {
        JdbcEventStore store = new JdbcEventStore(null, postgres(), connections);
        Random random = new Random(7);
        UUID[] systems = new UUID[SYSTEMS];
        for (int i = 0; i < SYSTEMS; i++) {
            systems[i] = new UUID(random.nextLong(), random.nextLong());
        }
        Stats stats = new Stats("Timeline on PostgreSQL, batches of " + BATCH + " events");
        Appender viaStore = batch -> check(store.insert(batch).size() == batch.size(), "insert skipped events");
        Appender plain = batch -> insertPlain(connections.getConnection(), batch);
        try {
            for (int threads = 1; append && threads <= 2; threads++) {
                double stored = sustained("store insert", threads, viaStore, systems, connections);
                double raw = sustained("plain batch INSERT", threads, plain, systems, connections);
                stats.rate(String.format("append, %d thread%s, JdbcEventStore.insert", threads,
                        threads == 1 ? "" : "s"), stored, "plain table, JDBC batch", raw, 10_000);
            }
            if (query) {
                load(viaStore, systems, connections);
                queries(store, systems, random, connections, stats);
            }
        } finally {
            stats.print();
        }
    }

    // --- append ---

    /** Appends from some threads for a warm-up and a measured run; returns the measured events per second. */
    private static double sustained(String what, int threads, Appender appender, UUID[] systems,
            ThreadConnections connections) throws InterruptedException {
        AtomicLong appended = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(SEEDS.incrementAndGet());
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        List<Event> batch = batch(systems, random);
                        appender.append(batch);
                        appended.addAndGet(batch.size());
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    connections.release();
                }
            }, "append-" + t);
            workers.add(worker);
            worker.start();
        }
        Thread.sleep(WARM_UP_SECONDS * 1_000L);
        long before = appended.get();
        long start = System.nanoTime();
        Thread.sleep(RUN_SECONDS * 1_000L);
        long after = appended.get();
        long elapsed = System.nanoTime() - start;
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(what + " failed: " + reason(failure.get()));
        }
        double rate = (after - before) / (elapsed / 1e9);
        System.out.printf("%-20s %d thread(s): %,d events in %.1f s measured: %,.0f events/s%n", what, threads,
                after - before, elapsed / 1e9, rate);
        return rate;
    }

    /** Makes events as agents send them: now, give or take 5 s, about systems at random. */
    private static List<Event> batch(UUID[] systems, Random random) {
        Instant now = Instant.now();
        List<Event> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            int system = random.nextInt(SYSTEMS);
            double value = random.nextInt(10_000) / 100.0;
            String body = "{\"check\":\"disk-usage\",\"mount\":\"/var/lib/data\",\"value\":" + value
                    + ",\"threshold\":90.0,\"unit\":\"percent\",\"state\":\"" + (value < 90 ? "ok" : "warning")
                    + "\",\"message\":\"disk usage of /var/lib/data at " + value + " percent\","
                    + "\"labels\":{\"env\":\"prod\",\"team\":\"storage\"},\"attempt\":" + random.nextInt(5) + "}";
            batch.add(new Event(new UUID(random.nextLong(), random.nextLong()).toString(),
                    TYPES[random.nextInt(TYPES.length)], systems[system], String.format("sys-%05d", system),
                    now.minusMillis(random.nextInt(5_000)), now, new Source(Source.Kind.AGENT, "agent-" + system % 50),
                    "bench", body));
        }
        return batch;
    }

    /** The baseline: one transaction of one JDBC batch, rewritten by the driver into multi-row inserts. */
    private static void insertPlain(Connection connection, List<Event> batch) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement(PLAIN_INSERT)) {
            for (Event event : batch) {
                insert.setString(1, event.id());
                insert.setString(2, event.type());
                insert.setObject(3, event.systemId());
                insert.setString(4, event.system());
                insert.setObject(5, event.time().atOffset(ZoneOffset.UTC));
                insert.setObject(6, event.recorded().atOffset(ZoneOffset.UTC));
                insert.setString(7, event.source().kind().name());
                insert.setString(8, event.source().name());
                insert.setString(9, event.origin());
                insert.setString(10, event.body());
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Tops the timeline up to {@link #LOADED} events through the store, from two threads. */
    private static void load(Appender appender, UUID[] systems, ThreadConnections connections)
            throws SQLException, InterruptedException {
        long present = count(connections);
        AtomicLong missing = new AtomicLong(LOADED - present);
        long start = System.nanoTime();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Random random = new Random(SEEDS.incrementAndGet());
            Thread worker = new Thread(() -> {
                try {
                    while (missing.getAndAdd(-BATCH) > 0) {
                        appender.append(batch(systems, random));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    connections.release();
                }
            }, "load-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("loading failed: " + reason(failure.get()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        try (Connection connection = connections.getConnection(); Statement statement = connection.createStatement()) {
            long vacuum = System.nanoTime();
            statement.execute("VACUUM (ANALYZE) hanse_event");
            System.out.printf("Topped up from %,d to %,d events in %.1f s; VACUUM ANALYZE took %.1f s%n", present,
                    count(connections), seconds, (System.nanoTime() - vacuum) / 1e9);
            try (ResultSet rows = statement.executeQuery("SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid))"
                    + " FROM pg_class c WHERE c.relname LIKE 'hanse_event%' ORDER BY c.relname")) {
                StringBuilder sizes = new StringBuilder("  sizes:");
                while (rows.next()) {
                    sizes.append(' ').append(rows.getString(1)).append(' ').append(rows.getString(2)).append(';');
                }
                System.out.println(sizes);
            }
        }
    }

    private static long count(ThreadConnections connections) throws SQLException {
        try (Connection connection = connections.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM hanse_event")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    // --- query ---

    /** One way to read the newest events of some systems; returns their sequence numbers, newest first. */
    @FunctionalInterface
    private interface Reader {
        List<Long> read(Set<UUID> systems) throws SQLException;
    }

    private static void queries(JdbcEventStore store, UUID[] systems, Random random, ThreadConnections connections,
            Stats stats) throws SQLException {
        Connection connection = connections.getConnection();
        Reader viaStore = ids -> store.query(new EventFilter(ids, Set.of(), null, null, null, LIMIT)).stream()
                .map(StoredEvent::seq).toList();
        Reader custom = ids -> select(connection, CUSTOM_PLAN, STORE_QUERY, ids);
        Reader lateral = ids -> select(connection, null, LATERAL_QUERY, ids);
        Stats.Timing single = time(viaStore, systems, 1, random, null);
        for (int members : new int[] {100, 1_000, 10_000}) {
            String size = String.format("%,d systems", members);
            stats.time("query newest " + LIMIT + " of " + size + ", JdbcEventStore.query",
                    time(viaStore, systems, members, random, custom), "same for 1 system", single,
                    members == 10_000 ? 50 : 0);
            stats.time("  same SQL, " + CUSTOM_PLAN.substring(4), time(custom, systems, members, random, null),
                    "same for 1 system", single, 0);
            stats.time("  LATERAL newest " + LIMIT + " per system, merged", time(lateral, systems, members, random,
                    custom), "same for 1 system", single, 0);
        }
        Set<UUID> aggregate = subset(systems, 10_000, random);
        System.out.println("Plan of the store's query for 10,000 systems as a new statement gets it (custom plan):");
        explain(connection, "EXPLAIN (ANALYZE, BUFFERS) " + STORE_QUERY, aggregate);
        System.out.println("Plan of the same once the statement is server-prepared and the plan cache has switched"
                + " to its generic plan:");
        execute(connection, "PREPARE newest(uuid[]) AS " + STORE_QUERY.replace("?", "$1"));
        execute(connection, "SET plan_cache_mode = force_generic_plan");
        // EXECUTE takes no bound parameters: the ids, all made here, go in as a literal.
        explain(connection, "EXPLAIN (ANALYZE, BUFFERS) EXECUTE newest('{" + aggregate.stream().map(UUID::toString)
                .collect(Collectors.joining(",")) + "}')", null);
        execute(connection, "RESET plan_cache_mode");
        execute(connection, "DEALLOCATE newest");
        System.out.println("Plan of the LATERAL query for 10,000 systems:");
        explain(connection, "EXPLAIN (ANALYZE, BUFFERS) " + LATERAL_QUERY, aggregate);
    }

    /**
     * Times a reader on random sets of systems after a warm-up, each within its budget; checks its
     * first answers against another reader's.
     */
    private static Stats.Timing time(Reader reader, UUID[] systems, int members, Random random, Reader check)
            throws SQLException {
        long warmUpEnd = System.nanoTime() + WARM_UP_BUDGET_NANOS;
        for (int i = 0; i < WARM_UP_QUERIES && System.nanoTime() < warmUpEnd; i++) {
            Set<UUID> ids = subset(systems, members, random);
            List<Long> events = reader.read(ids);
            check(members == 1 || events.size() == LIMIT, "the query found only " + events.size() + " events");
            if (check != null && i < 3) {
                check(events.equals(check.read(ids)), "two ways to query found different events");
            }
        }
        long[] nanos = new long[QUERIES];
        int done = 0;
        long end = System.nanoTime() + QUERY_BUDGET_NANOS;
        while (done < QUERIES && (done < QUERIES_AT_LEAST || System.nanoTime() < end)) {
            Set<UUID> ids = subset(systems, members, random);
            long start = System.nanoTime();
            reader.read(ids);
            nanos[done++] = System.nanoTime() - start;
        }
        return Stats.timing(Arrays.copyOf(nanos, done));
    }

    /** Runs a query in a transaction, as the store does, reading every column; returns the sequence numbers. */
    private static List<Long> select(Connection connection, String setting, String sql, Set<UUID> systems)
            throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (setting != null) {
                execute(connection, setting);
            }
            select.setArray(1, connection.createArrayOf("uuid", systems.toArray()));
            List<Long> seqs = new ArrayList<>(LIMIT);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    seqs.add(rows.getLong(1));
                    for (int c = 2; c <= 11; c++) {
                        rows.getString(c);
                    }
                }
            }
            connection.commit();
            return seqs;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Prints a plan; lines are cut, as the array of a custom plan would fill pages.
     *
     * @param systems the array to bind to the one parameter, or {@code null} for a statement without
     */
    private static void explain(Connection connection, String sql, Set<UUID> systems) throws SQLException {
        try (PreparedStatement explain = connection.prepareStatement(sql)) {
            if (systems != null) {
                explain.setArray(1, connection.createArrayOf("uuid", systems.toArray()));
            }
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    String line = rows.getString(1);
                    System.out.println("    " + (line.length() > 160 ? line.substring(0, 160) + " …" : line));
                }
            }
        }
    }

    /** Returns {@code size} different systems at random. */
    private static Set<UUID> subset(UUID[] systems, int size, Random random) {
        Set<UUID> chosen = new LinkedHashSet<>();
        while (chosen.size() < size) {
            chosen.add(systems[random.nextInt(systems.length)]);
        }
        return chosen;
    }

    // --- plumbing ---

    private static PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {env("PGHOST", "127.0.0.1")});
        dataSource.setPortNumbers(new int[] {Integer.parseInt(env("PGPORT", "5432"))});
        dataSource.setDatabaseName(database);
        dataSource.setUser(env("PGUSER", "postgres"));
        dataSource.setReWriteBatchedInserts(true);
        dataSource.setApplicationName("hanse-benchmarks");
        return dataSource;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            execute(connection, sql);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Database postgres() {
        return new Database() {
            @Override
            public Kind kind() {
                return Kind.POSTGRESQL;
            }

            @Override
            public String url() {
                return "postgresql://127.0.0.1:5432/hanse_bench";
            }

            @Override
            public void ping() {
            }
        };
    }

    private static String prefixed(String alias) {
        return alias + COLUMNS.replace(", ", ", " + alias);
    }

    /** Returns why something failed, short: a failed batch's own message repeats the whole batch. */
    private static String reason(Throwable failure) {
        Throwable cause = failure instanceof SQLException e && e.getNextException() != null ? e.getNextException()
                : failure;
        String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return message.length() > 500 ? message.substring(0, 500) + "…" : message;
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * One open connection per thread, as a pool hands them out: {@code close()} leaves it open for
     * the thread's next call, {@link #release()} and {@link #close()} really close.
     */
    private static final class ThreadConnections implements DataSource {

        private final DataSource target;
        private final ThreadLocal<Connection> connections = new ThreadLocal<>();
        private final ThreadLocal<Connection> physicals = new ThreadLocal<>();
        private final ConcurrentLinkedQueue<Connection> open = new ConcurrentLinkedQueue<>();

        ThreadConnections(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = connections.get();
            if (connection == null) {
                Connection physical = target.getConnection();
                open.add(physical);
                connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                                return null;
                            }
                            try {
                                return method.invoke(physical, arguments);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
                connections.set(connection);
                physicals.set(physical);
            }
            return connection;
        }

        /** Closes the calling thread's connection. */
        void release() {
            Connection physical = physicals.get();
            connections.remove();
            physicals.remove();
            if (physical != null) {
                open.remove(physical);
                close(physical);
            }
        }

        /** Closes every connection still open. */
        void close() {
            for (Connection connection; (connection = open.poll()) != null;) {
                close(connection);
            }
        }

        private static void close(Connection connection) {
            try {
                connection.close();
            } catch (SQLException e) {
                System.err.println("Could not close a connection: " + e.getMessage());
            }
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLException("one user only");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
