package io.hanse.monitoring.internal;

import io.hanse.api.agent.AgentObservation;
import io.hanse.api.status.StatusReport;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.Database;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.MutableClock;
import io.hanse.testing.StatusReports;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The plugin's checks, downtimes, histories and reviews on a fresh database of one kind, built from
 * their constructors as the component runtime builds them, with the kernel's fakes for systems and
 * the timeline. It counts the statements sent to the database and the rows they answer, and restarts
 * the plugin on it. Public for the tests of the plugin's commands too.
 */
public final class MonitoringParts implements AutoCloseable {

    public final MutableClock clock;
    final MemorySystems systems = new MemorySystems();
    final MemoryTimeline timeline;
    public Downtimes downtimes;
    public Checks checks;
    public Histories histories;
    public Reviews reviews;
    public Views views;
    /** What the kernel knows of remote systems' status, from their peers. */
    final PeerStatuses statuses = new PeerStatuses();
    /** The plugin's SQL on the database, for a look past its parts. */
    Sql sql;
    private final KernelDatabase database;
    private final Set<String> slugs = ConcurrentHashMap.newKeySet();
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger rows = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();

    public MonitoringParts(Database.Kind kind, Instant now) {
        database = (kind == Database.Kind.H2 ? KernelDatabase.h2() : KernelDatabase.postgres())
                .apply(MonitoringParts.class.getClassLoader(), "db/io.hanse.monitoring/changelog.xml");
        clock = new MutableClock(now);
        timeline = new MemoryTimeline(slugs);
        start();
    }

    /** Starts the plugin on the database, as the component runtime does. */
    private void start() {
        sql = new MonitoringDatabase(new Sql(counting(database.dataSource())), systems).sql();
        Outbox outbox = new Outbox(sql, systems, timeline);
        downtimes = new Downtimes(new DowntimeStore(sql), systems, timeline, outbox, clock);
        checks = new Checks(new CheckStore(sql), systems, timeline, downtimes, outbox, defaults(), clock);
        checks.start(new StatusReports());
        histories = new Histories(new CheckStore(sql), checks, clock);
        views = new Views(checks, systems, statuses);
        reviews = new Reviews(new ReviewStore(sql), checks, histories, views, systems,
                outbox, clock);
    }

    /** Stops the plugin and starts it again: what happened to the systems meanwhile, nobody told it. */
    void restart() {
        checks.deactivate();
        start();
    }

    /** Adds a system, known to the timeline too. */
    public ManagedSystem system(String slug, String... members) {
        slugs.add(slug);
        return systems.add(slug, members);
    }

    /** Has the kernel say what a contributor, such as federation, reports of a remote system. */
    public void remoteStatus(String slug, StatusReport report) {
        statuses.report(slug, report);
    }

    /** Gives a system a new slug, under which the timeline knows it then; its id stays. */
    ManagedSystem rename(String slug, String newSlug) {
        slugs.remove(slug);
        slugs.add(newSlug);
        return systems.rename(slug, newSlug);
    }

    /** Deletes a system, which the timeline then refuses events about. */
    void remove(String slug) {
        slugs.remove(slug);
        systems.remove(slug);
    }

    /** Returns how many rows of one of the plugin's tables name a system by this slug; not counted. */
    int rows(String table, String slug) {
        return count("SELECT COUNT(*) FROM " + table + " WHERE system = ?", slug);
    }

    /** Returns how many events the plugin owes the timeline; not counted. */
    int owed() {
        return count("SELECT COUNT(*) FROM monitoring_outbox");
    }

    private int count(String query, String... parameters) {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement count = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                count.setString(i + 1, parameters[i]);
            }
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(query + ": " + e.getMessage(), e);
        }
    }

    /** Runs a statement on the database, not through the plugin, and not counted. */
    int execute(String statement) {
        try (Connection connection = database.dataSource().getConnection();
                Statement sql = connection.createStatement()) {
            return sql.executeUpdate(statement);
        } catch (SQLException e) {
            throw new AssertionError(statement + ": " + e.getMessage(), e);
        }
    }

    /** Takes one result, hard at once, observed this long before now, and waits until it is shown. */
    public void report(String system, String check, String status, Duration ago) {
        report(List.of(result(system, check, status, clock.instant().minus(ago))));
    }

    /** Takes 20 results a minute apart, up to a minute ago, each changing the status: the check flaps, ok now. */
    public void flap(String system, String check) {
        for (int i = 20; i > 0; i--) {
            report(system, check, i % 2 == 0 ? "critical" : "ok", Duration.ofMinutes(i));
        }
    }

    /**
     * Takes one result, hard at once, with more of its body, such as {@code ,"perfdata":[…]}, observed now, and
     * waits until it is shown.
     */
    public void report(String system, String check, String status, String more) {
        report(List.of(result(system, check, status, clock.instant(), more)));
    }

    /** Takes results and waits until they are shown. */
    void report(List<AgentObservation> results) {
        checks.accept(results);
        checks.flush();
    }

    /** A result, hard at once: the agent says a single failure makes a problem. */
    AgentObservation result(String system, String check, String status, Instant time) {
        return result(system, check, status, time, "");
    }

    /** A result, hard at once, with more of its body. */
    private AgentObservation result(String system, String check, String status, Instant time, String more) {
        return new AgentObservation("agent:a:1:" + sequence.incrementAndGet(), new Source(Source.Kind.AGENT, "a"),
                CheckResult.TYPE, system, time, "{\"check\":\"" + check + "\",\"status\":\"" + status
                        + "\",\"output\":\"" + status + "\",\"intervalSeconds\":60,\"maxAttempts\":1" + more + "}");
    }

    /** Runs the plugin's sweep, as its background thread does every few seconds. */
    public void sweep() {
        checks.sweep();
    }

    /** Returns when a review is due that is due so many days after its last pass. */
    public static Reviews.Due everyDays(int days) {
        return new Reviews.Due(days, null, null);
    }

    /** Returns how many statements the parts have sent the database so far. */
    public int statements() {
        return statements.get();
    }

    /** Returns how many rows the database has answered the parts' queries with so far. */
    int rows() {
        return rows.get();
    }

    /** Returns the systems the timeline's events of one type are about, oldest first. */
    List<String> systemsOf(String type) {
        return timeline.ofType(type).stream().map(event -> event.system()).toList();
    }

    @Override
    public void close() {
        try {
            checks.deactivate();
        } finally {
            database.close();
        }
    }

    /** The configuration as shipped: its defaults. */
    static MonitoringConfig defaults() {
        return config(Map.of());
    }

    /** The configuration with these keys set, and the others at their defaults. */
    static MonitoringConfig config(Map<String, Object> values) {
        return (MonitoringConfig) Proxy.newProxyInstance(MonitoringConfig.class.getClassLoader(),
                new Class<?>[] {MonitoringConfig.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    private DataSource counting(DataSource dataSource) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, dataSource, args);
                    return result instanceof Connection connection ? counting(connection) : result;
                });
    }

    private Connection counting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (!method.getName().startsWith("prepare")) {
                        return invoke(method, connection, args);
                    }
                    statements.incrementAndGet();
                    Object statement = invoke(method, connection, args);
                    return statement instanceof PreparedStatement prepared ? counting(prepared) : statement;
                });
    }

    private PreparedStatement counting(PreparedStatement statement) {
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    Object result = invoke(method, statement, args);
                    return method.getName().equals("executeQuery") ? counting((ResultSet) result) : result;
                });
    }

    private ResultSet counting(ResultSet answer) {
        return (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, answer, args);
                    if (method.getName().equals("next") && Boolean.TRUE.equals(result)) {
                        rows.incrementAndGet();
                    }
                    return result;
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
