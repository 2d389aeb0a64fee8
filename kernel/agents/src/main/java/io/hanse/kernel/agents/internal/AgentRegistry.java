package io.hanse.kernel.agents.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.config.Settings;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusContributor;
import io.hanse.api.status.StatusSink;
import io.hanse.api.store.FailureLog;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.Timeline;
import io.hanse.kernel.security.AgentIdentities;
import io.hanse.kernel.security.AgentIdentities.Identity;
import io.hanse.kernel.store.AgentStore;
import io.hanse.kernel.store.StoredAgent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents as they were last heard: what each says about itself, when it was last seen, and
 * whether it is lost. An agent silent past its time to live puts {@code agent.lost} on the
 * timeline for each system it reports on and reports "no data" for them; when it is heard again,
 * {@code agent.back} and "ok". What agents say is written to the store every few seconds, not
 * on every request.
 */
@Component(service = {AgentRegistry.class, StatusContributor.class}, configurationPid = AgentConfig.PID)
@Designate(ocd = AgentConfig.class)
public final class AgentRegistry implements StatusContributor {

    static final String LOST = "agent.lost";
    static final String BACK = "agent.back";
    private static final Logger LOG = LoggerFactory.getLogger(AgentRegistry.class);
    private static final Duration SCAN = Duration.ofSeconds(5);
    private static final int MAX_CHECKS_JSON = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an agent says about itself in its heartbeat. */
    public record Heartbeat(String version, long bootEpoch, String hostname, List<String> capabilities,
            String checks, long spoolPending, long spoolDropped) {

        public Heartbeat {
            if (version == null || version.isBlank() || version.length() > 100) {
                throw new InvalidRequestException("version is required, at most 100 characters");
            }
            if (hostname != null && hostname.length() > 255) {
                throw new InvalidRequestException("hostname is at most 255 characters");
            }
            capabilities = capabilities == null ? List.of() : List.copyOf(Capabilities.check(capabilities));
            checks = checks == null ? "[]" : checks;
            if (checks.length() > MAX_CHECKS_JSON) {
                throw new InvalidRequestException("the list of checks is larger than " + MAX_CHECKS_JSON + " bytes");
            }
            if (bootEpoch < 0 || spoolPending < 0 || spoolDropped < 0) {
                throw new InvalidRequestException("bootEpoch and the spool's counts are not negative");
            }
        }
    }

    /** An agent as shown: its identity, what it last said, and whether it is alive. */
    public record AgentView(Identity identity, StoredAgent reported, Instant lastSeen, String state) {

        /**
         * Returns it as a caller sees it: only the systems the caller may read agents on, and of the
         * checks it reported, only those on these systems.
         */
        AgentView seenBy(Caller caller) {
            Identity seen = identity.seenBy(caller);
            if (seen.systems().equals(identity.systems())) {
                return new AgentView(seen, reported, lastSeen, state);
            }
            StoredAgent said = reported;
            return new AgentView(seen, new StoredAgent(said.principal(), said.version(), said.hostname(),
                    said.bootEpoch(), said.capabilities(), checksOn(said.checks(), seen.systems()),
                    said.spoolPending(), said.spoolDropped(), said.enrolled(), said.lastSeen(), said.lost()),
                    lastSeen, state);
        }

        /** The checks, of those an agent reported as a JSON array, that name one of these systems. */
        private static String checksOn(String checks, List<String> systems) {
            ArrayNode kept = JSON.createArrayNode();
            try {
                for (JsonNode check : JSON.readTree(checks)) {
                    if (systems.contains(check.path("system").asText(null))) {
                        kept.add(check);
                    }
                }
            } catch (JsonProcessingException e) {
                // Stored as it came, checked only for size: nothing of it is shown.
            }
            return kept.toString();
        }
    }

    /** What the registry knows of one agent; guarded by the registry. */
    private static final class Entry {
        StoredAgent reported;
        volatile Instant lastSeen;
        boolean lost;
        boolean dirty;

        Entry(StoredAgent reported) {
            this.reported = reported;
            this.lastSeen = reported.lastSeen() == null ? reported.enrolled() : reported.lastSeen();
            this.lost = reported.lost();
        }
    }

    private final AgentIdentities identities;
    private final AgentStore store;
    private final Timeline timeline;
    private final Clock clock;
    /** Says that checking agents' liveness fails, as it does at each scan while the database is away. */
    private final FailureLog failures;
    /** How the configuration was read last, for a change to fall back to. */
    private volatile Settings<AgentConfig> settings;
    /** Changed together, so that an agent is never told a heartbeat of one configuration and a ttl of another. */
    private volatile Intervals intervals;
    /** When this registry started: before it, agents could not be heard. */
    private final Instant started;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** What this contributor last reported per system; touched by the scanning thread only. */
    private final Map<String, Status> reported = new HashMap<>();
    private final ScheduledExecutorService scanner;
    private volatile StatusSink sink;
    /** The enrolled agents by name, as of the last scan. */
    private volatile Map<String, Identity> known = Map.of();

    @Activate
    public AgentRegistry(@Reference AgentIdentities identities, @Reference AgentStore store,
            @Reference Timeline timeline, AgentConfig config) {
        this(identities, store, timeline, config, Clock.systemUTC(), true);
    }

    /** @param scanning whether to scan on a thread of its own; tests call {@link #scan()} themselves */
    AgentRegistry(AgentIdentities identities, AgentStore store, Timeline timeline, AgentConfig config, Clock clock,
            boolean scanning) {
        this.identities = identities;
        this.store = store;
        this.timeline = timeline;
        this.clock = clock;
        this.failures = new FailureLog(LOG, "Agents' liveness is checked", clock);
        configure(Settings.of(AgentConfig.PID, AgentConfig.class, config));
        this.started = clock.instant();
        Map<UUID, StoredAgent> byPrincipal = new HashMap<>();
        store.loadAll().forEach(agent -> byPrincipal.put(agent.principal(), agent));
        identities.identities().forEach(identity -> {
            StoredAgent agent = byPrincipal.get(identity.id());
            if (agent != null) {
                entries.put(identity.name(), new Entry(agent));
            }
        });
        scanner = scanning ? Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "hanse-agent-liveness"))
                : null;
        if (scanner != null) {
            scanner.scheduleWithFixedDelay(this::scanSafely, SCAN.toMillis(), SCAN.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Takes a changed heartbeat or time to live in place: agents are told at their next request. */
    @Modified
    void modified(AgentConfig config) {
        configure(settings.change(config));
    }

    private void configure(Settings<AgentConfig> read) {
        read.whole("heartbeatSeconds", 1, Integer.MAX_VALUE);
        read.whole("ttlSeconds", 2, Integer.MAX_VALUE);
        read.require("ttlSeconds must be longer than heartbeatSeconds",
                config -> config.ttlSeconds() > config.heartbeatSeconds(), "heartbeatSeconds", "ttlSeconds");
        AgentConfig values = read.values();
        intervals = new Intervals(Duration.ofSeconds(values.heartbeatSeconds()),
                Duration.ofSeconds(values.ttlSeconds()));
        settings = read;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        // The desire board and ingest read the same configuration, and stop with the registry.
        Settings.forget(AgentConfig.PID);
        if (scanner != null) {
            scanner.shutdown();
            scanner.awaitTermination(10, TimeUnit.SECONDS);
        }
        try {
            flush();
        } catch (RuntimeException e) {
            // Mostly a database out of reach as Hanse stops. Thrown, the component runtime would log it as an
            // ERROR of the registry's; an agent is heard again at its next heartbeat after the start anyway.
            LOG.warn("Stopping without saving the last-seen times and lost marks of {} agents: {}", unsaved(),
                    e.toString());
        }
    }

    /** Returns how many agents have changes the store has not taken yet. */
    private synchronized long unsaved() {
        return entries.values().stream().filter(entry -> entry.dirty).count();
    }

    @Override
    public String name() {
        return "agents";
    }

    @Override
    public void start(StatusSink statusSink) {
        this.sink = statusSink;
    }

    @Override
    public void stop() {
        this.sink = null;
    }

    /**
     * How often agents send a heartbeat, and how long one may be silent before it is lost.
     *
     * @param heartbeat told to each agent
     * @param ttl longer than the heartbeat
     */
    public record Intervals(Duration heartbeat, Duration ttl) {
    }

    public Intervals intervals() {
        return intervals;
    }

    /** Notes that an agent was heard from, by any signed request. */
    public void seen(Identity agent) {
        entry(agent).lastSeen = clock.instant();
    }

    /** Takes in an agent's heartbeat. */
    public void heartbeat(Identity agent, Heartbeat beat) {
        Entry entry = entry(agent);
        long droppedBefore;
        synchronized (this) {
            StoredAgent before = entry.reported;
            droppedBefore = before.spoolDropped();
            entry.reported = new StoredAgent(agent.id(), beat.version(), beat.hostname(), beat.bootEpoch(),
                    beat.capabilities(), beat.checks(), beat.spoolPending(), beat.spoolDropped(), before.enrolled(),
                    entry.lastSeen, entry.lost);
            entry.dirty = true;
        }
        if (beat.spoolDropped() > droppedBefore) {
            LOG.warn("Agent {} says it lost observations the server never took (its spool was full, or damaged):"
                    + " {} since its boot", agent.name(), beat.spoolDropped());
        }
    }

    /**
     * Returns the identity of the agent of that name, as of the last scan or fresher.
     *
     * @throws ForbiddenException if no enrolled agent has that name
     */
    public Identity identity(String name) {
        Identity identity = known.get(name);
        if (identity == null) {
            identity = refreshIdentities().stream().filter(i -> i.name().equals(name)).findFirst()
                    .orElseThrow(() -> new ForbiddenException("only enrolled agents may call this"));
        }
        return identity;
    }

    private List<Identity> refreshIdentities() {
        List<Identity> all = identities.identities();
        Map<String, Identity> byName = new HashMap<>();
        all.forEach(identity -> byName.put(identity.name(), identity));
        known = Map.copyOf(byName);
        return all;
    }

    private Entry entry(Identity agent) {
        return entries.computeIfAbsent(agent.name(), name -> new Entry(new StoredAgent(agent.id(), null, null, 0,
                List.of(), "[]", 0, 0, agent.created(), agent.created(), false)));
    }

    /** Returns every agent, with what it last said and whether it is alive. */
    public List<AgentView> agents() {
        Instant now = clock.instant();
        List<AgentView> views = new ArrayList<>();
        for (Identity identity : refreshIdentities()) {
            Entry entry = entry(identity);
            String state = identity.disabled() ? "disabled" : silent(entry, now) ? "lost" : "alive";
            views.add(new AgentView(identity, entry.reported, entry.lastSeen, state));
        }
        return views;
    }

    /**
     * Returns the agents on at least one system where the caller holds {@code agents:read}, each
     * with only those of its systems.
     */
    public List<AgentView> agents(Caller caller) {
        return agents().stream().map(agent -> agent.seenBy(caller))
                .filter(agent -> !agent.identity().systems().isEmpty()).toList();
    }

    /**
     * Returns an agent the caller may see.
     *
     * @throws NotFoundException if there is no such agent, or the caller may not see it
     */
    public AgentView agent(Caller caller, String name) {
        return agents(caller).stream().filter(agent -> agent.identity().name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("no agent " + Messages.quote(name)));
    }

    /**
     * Whether an agent has been silent past its time to live. While this server was down nobody
     * could hear it, so an agent alive before gets a full time to live from this start; one already
     * lost stays lost until it is heard.
     */
    private boolean silent(Entry entry, Instant now) {
        Instant heard = entry.lost || entry.lastSeen.isAfter(started) ? entry.lastSeen : started;
        return heard.plus(intervals.ttl()).isBefore(now);
    }

    private void scanSafely() {
        try {
            scan();
            flush();
            failures.worked();
        } catch (RuntimeException e) {
            // Mostly a database out of reach, every 5 s while it lasts.
            failures.failed("Checking agents' liveness failed; trying again every " + SCAN.toSeconds() + " s", e);
        }
    }

    /**
     * Finds agents that fell silent or came back, puts that on the timeline and reports each
     * system's status: ok while an agent reporting on it is alive, no data when none is.
     */
    void scan() {
        Instant now = clock.instant();
        List<EventDraft> events = new ArrayList<>();
        Map<String, List<String>> alive = new HashMap<>();
        Map<String, List<String>> lost = new HashMap<>();
        Set<String> current = new TreeSet<>();
        for (Identity identity : refreshIdentities()) {
            current.add(identity.name());
            if (identity.disabled()) {
                continue;
            }
            Entry entry = entry(identity);
            boolean silent = silent(entry, now);
            synchronized (this) {
                if (silent != entry.lost) {
                    entry.lost = silent;
                    entry.dirty = true;
                    identity.systems().forEach(system -> events.add(change(identity, entry, system, silent)));
                }
            }
            identity.systems().forEach(system -> (silent ? lost : alive)
                    .computeIfAbsent(system, s -> new ArrayList<>()).add(identity.name()));
        }
        entries.keySet().retainAll(current);
        if (!events.isEmpty()) {
            timeline.append(events);
        }
        report(alive, lost);
    }

    private EventDraft change(Identity agent, Entry entry, String system, boolean silent) {
        String type = silent ? LOST : BACK;
        Duration lostAfter = intervals.ttl();
        Instant time = silent ? entry.lastSeen.plus(lostAfter) : entry.lastSeen;
        String body = JsonNodeFactory.instance.objectNode().put("agent", agent.name())
                .put("lastSeen", entry.lastSeen.toString()).put("ttlSeconds", lostAfter.toSeconds()).toString();
        String id = type + ":" + agent.id() + ":" + entry.lastSeen.toEpochMilli() + ":" + system;
        return new EventDraft(id, type, system, time, new Source(Source.Kind.AGENT, agent.name()), body);
    }

    private void report(Map<String, List<String>> alive, Map<String, List<String>> lost) {
        StatusSink current = sink;
        if (current == null) {
            return;
        }
        Set<String> systems = new TreeSet<>(alive.keySet());
        systems.addAll(lost.keySet());
        for (String system : systems) {
            List<String> reporting = alive.get(system);
            Status status = reporting != null ? Status.OK : Status.NO_DATA;
            if (status != reported.get(system)) {
                current.report(system, status, reporting != null ? "agent " + String.join(", ", reporting)
                        + " reporting" : "no data: agent " + String.join(", ", lost.get(system)) + " is silent");
                reported.put(system, status);
            }
        }
        List<String> gone = reported.keySet().stream().filter(system -> !systems.contains(system)).toList();
        gone.forEach(system -> {
            current.clear(system);
            reported.remove(system);
        });
    }

    /** Writes what changed since the last time to the store; if that fails, the next time tries again. */
    void flush() {
        List<Entry> changed = new ArrayList<>();
        synchronized (this) {
            for (Entry entry : entries.values()) {
                if (entry.dirty || !Objects.equals(entry.lastSeen, entry.reported.lastSeen())) {
                    StoredAgent r = entry.reported;
                    entry.reported = new StoredAgent(r.principal(), r.version(), r.hostname(), r.bootEpoch(),
                            r.capabilities(), r.checks(), r.spoolPending(), r.spoolDropped(), r.enrolled(),
                            entry.lastSeen, entry.lost);
                    entry.dirty = false;
                    changed.add(entry);
                }
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        try {
            store.saveAll(changed.stream().map(entry -> entry.reported).toList());
        } catch (RuntimeException e) {
            synchronized (this) {
                changed.forEach(entry -> entry.dirty = true);
            }
            throw e;
        }
    }
}
