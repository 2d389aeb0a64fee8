package io.hanse.monitoring.internal;

import io.hanse.api.agent.AgentObservation;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The plugin's checks, histories and reviews on a fresh database of one kind, built from their
 * constructors as the component runtime builds them, with the kernel's fakes for systems and the
 * timeline. It counts the statements sent to the database.
 */
final class MonitoringParts implements AutoCloseable {

    final MutableClock clock;
    final MemorySystems systems = new MemorySystems();
    final MemoryTimeline timeline;
    final Checks checks;
    final Histories histories;
    final Reviews reviews;
    private final KernelDatabase database;
    private final Set<String> slugs = ConcurrentHashMap.newKeySet();
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();

    MonitoringParts(Database.Kind kind, Instant now) {
        database = (kind == Database.Kind.H2 ? KernelDatabase.h2() : KernelDatabase.postgres())
                .apply(MonitoringParts.class.getClassLoader(), "db/io.hanse.monitoring/changelog.xml");
        clock = new MutableClock(now);
        timeline = new MemoryTimeline(slugs);
        Sql sql = new Sql(counting(database.dataSource()));
        checks = new Checks(new CheckStore(sql), systems, timeline,
                new Downtimes(new DowntimeStore(sql), systems, timeline, clock), defaults(), clock);
        checks.start(new StatusReports());
        histories = new Histories(new CheckStore(sql), checks, clock);
        reviews = new Reviews(new ReviewStore(sql), checks, histories, new Views(checks, systems), systems,
                timeline, clock);
    }

    /** Adds a system, known to the timeline too. */
    void system(String slug, String... members) {
        systems.add(slug, members);
        slugs.add(slug);
    }

    /** Takes one result, hard at once, observed this long before now, and waits until it is shown. */
    void report(String system, String check, String status, Duration ago) {
        report(List.of(result(system, check, status, clock.instant().minus(ago))));
    }

    /** Takes results and waits until they are shown. */
    void report(List<AgentObservation> results) {
        checks.accept(results);
        checks.flush();
    }

    /** A result, hard at once: the agent says a single failure makes a problem. */
    AgentObservation result(String system, String check, String status, Instant time) {
        return new AgentObservation("agent:a:1:" + sequence.incrementAndGet(), new Source(Source.Kind.AGENT, "a"),
                CheckResult.TYPE, system, time, "{\"check\":\"" + check + "\",\"status\":\"" + status
                        + "\",\"output\":\"" + status + "\",\"intervalSeconds\":60,\"maxAttempts\":1}");
    }

    /** Returns how many statements the parts have sent the database so far. */
    int statements() {
        return statements.get();
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
        return (MonitoringConfig) Proxy.newProxyInstance(MonitoringConfig.class.getClassLoader(),
                new Class<?>[] {MonitoringConfig.class},
                (proxy, method, args) -> method.getDefaultValue());
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
                    if (method.getName().startsWith("prepare")) {
                        statements.incrementAndGet();
                    }
                    return invoke(method, connection, args);
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
