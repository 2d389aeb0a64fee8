package io.hanse.monitoring.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.agent.AgentObservation;
import io.hanse.api.agent.ObservationHandler;
import io.hanse.api.config.Settings;
import io.hanse.api.security.Caller;
import io.hanse.api.shell.ShellText;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusContributor;
import io.hanse.api.status.StatusSink;
import io.hanse.api.store.FailureLog;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemListener;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.Timeline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of all systems: takes agents' results through the state machine, keeps every check's
 * state in memory and in the database, acknowledges problems, notices staleness, puts hard changes
 * on the timeline and tells the kernel each system's status.
 * <p>
 * One instance node owns the states: results for one check are applied in order under its lock,
 * and a batch's states and history are stored in one transaction, shared with the batches that
 * arrive meanwhile, before the agent hears back. What changed then goes on the timeline and into
 * the kernel status from one background thread, moments later and in order; the history stored
 * with the states is the outbox for it, so a change that was not shown before a crash is shown by
 * the next sweep.
 * <p>
 * Checks follow their system by its id (see {@link Follow}) to a new slug, and are forgotten when
 * it is deleted.
 */
@Component(service = {Checks.class, ObservationHandler.class, StatusContributor.class, SystemListener.class},
        immediate = true, configurationPid = MonitoringConfig.PID)
@Designate(ocd = MonitoringConfig.class)
public final class Checks implements ObservationHandler, StatusContributor, SystemListener {

    /** Who the plugin's own events are from. */
    static final Source SOURCE = new Source(Source.Kind.PLUGIN, "monitoring");
    static final int MAX_COMMENT = 1000;
    /** At most this many events go on the timeline in one append: it takes 10,000. */
    static final int TIMELINE_CHUNK = 1000;
    /**
     * The most checks a system may have: each is kept in memory, and an agent's results would
     * otherwise make new checks without end. A result that would make one more is refused.
     */
    static final int MAX_CHECKS_PER_SYSTEM = 1000;
    /** At most this many checks turn stale in one transaction. */
    private static final int EXPIRE_CHUNK = 500;
    /** How often history older than {@link MonitoringConfig#historyDays} is deleted. */
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** How many entries of old history one transaction deletes. */
    private static final int PRUNE_CHUNK = 10_000;
    /**
     * How long a part of the sweep that works through a backlog a chunk at a time goes on, at most:
     * people's changes wait for the background thread, so a long backlog, such as history to delete
     * after {@link MonitoringConfig#historyDays} was lowered, is worked through over several sweeps.
     */
    static final Duration SWEEP_PART = Duration.ofSeconds(1);
    /**
     * How long agents may take to come back after this node, or its database, was away: the longest
     * an agent waits between two attempts to reach it (see agent-protocol.md). Staleness counts from
     * then at the earliest.
     */
    static final Duration AGENTS_RETURN = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(Checks.class);
    /** The sweep's part that puts check changes on the timeline, also done as they happen. */
    private static final String PUBLISH = "put check changes on the timeline";
    /** The sweep's part that tells the kernel the systems' status, also done as checks change. */
    private static final String TELL = "tell the systems' status";

    /** A system's status as last told to the kernel. */
    private record Told(Status status, String summary) {
    }

    /**
     * Stands for what was told about a slug for the system that had it before its data followed:
     * whatever is judged of the slug now differs from it, and is told, or cleared if nothing is left.
     */
    private static final Told OF_ANOTHER_SYSTEM = new Told(null, null);

    /** One batch's states and history, and the events owed the timeline with them, to be stored in one transaction. */
    private record Save(List<CheckState> created, List<CheckState> changed, List<Change> changes,
            List<Outbox.Owed> owed) {
    }

    private final CheckStore store;
    private final SystemService systems;
    private final Timeline timeline;
    private final Downtimes downtimes;
    private final Outbox outbox;
    /** How the configuration was read last, for a change to fall back to. */
    private volatile Settings<MonitoringConfig> settings;
    private volatile StateMachine machine;
    private volatile Duration historyKept;
    /** When the latest round of deleting old history began; on the background thread only. */
    private Instant prunedAt = Instant.MIN;
    /** Whether that round left old history to delete at the next sweep; on the background thread only. */
    private boolean pruneUnfinished;
    /** Held while checks follow their systems: one plan at a time, each worked out from the one before. */
    private final Object following = new Object();
    private final Clock clock;
    /**
     * When the agents have had time to send what waited while this node, or its database, was away:
     * staleness is counted from then at the earliest. Only ever moves later.
     */
    private final AtomicReference<Instant> staleNotBefore;
    /**
     * What says that a part of the sweep fails, for each part: one working again does not mean that
     * another does. Showing changes as they happen fails as the part that shows them later.
     */
    private final Map<String, FailureLog> failures = new ConcurrentHashMap<>();
    private final Map<String, Map<String, CheckState>> bySystem = new ConcurrentHashMap<>();
    /** How many checks batches under way are making on each system, until they are in {@link #bySystem}. */
    private final Map<String, Integer> beingMade = new ConcurrentHashMap<>();
    /** One lock for each check, by {@link #key}: results for different checks never wait for each other. */
    private final Map<String, KeyLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Told> told = new ConcurrentHashMap<>();
    private final GroupCommit<Save> commits;
    /** Sweeps, and shows what changed: the only thread that appends to the timeline and tells the kernel. */
    private final ScheduledExecutorService background;
    private volatile Thread backgroundThread;
    private final Queue<HistoryEntry> unshown = new ConcurrentLinkedQueue<>();
    private final Set<String> untold = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean showing = new AtomicBoolean();
    private ScheduledFuture<?> sweeping;
    private volatile StatusSink sink;

    @Activate
    public Checks(@Reference MonitoringDatabase database, @Reference SystemService systems,
            @Reference Timeline timeline, @Reference Downtimes downtimes, @Reference Outbox outbox,
            MonitoringConfig config) {
        this(new CheckStore(database.sql()), systems, timeline, downtimes, outbox, config, Sql.CLOCK);
        schedule();
    }

    Checks(CheckStore store, SystemService systems, Timeline timeline, Downtimes downtimes, Outbox outbox,
            MonitoringConfig config, Clock clock) {
        this.store = store;
        this.systems = systems;
        this.timeline = timeline;
        this.downtimes = downtimes;
        this.outbox = outbox;
        this.clock = clock;
        this.staleNotBefore = new AtomicReference<>(clock.instant().plus(AGENTS_RETURN));
        // Agents could not deliver while the database was away either: the server answered them 503.
        store.whenUnreachable(() -> staleNotBefore.accumulateAndGet(clock.instant().plus(AGENTS_RETURN),
                (before, now) -> now.isAfter(before) ? now : before));
        this.commits = new GroupCommit<>(this::store);
        configure(Settings.of(MonitoringConfig.PID, MonitoringConfig.class, config));
        downtimes.whenChanged(() -> showNow(List.of(), bySystem.keySet()));
        downtimes.checksFrom((system, check) -> find(system, check) != null);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            backgroundThread = new Thread(r, "hanse-monitoring");
            return backgroundThread;
        });
        for (CheckState state : store.all()) {
            bySystem.computeIfAbsent(state.system(), s -> new ConcurrentHashMap<>()).put(state.check(), state);
        }
        // Systems may have been renamed or deleted while the plugin was stopped, and the kernel told no one.
        follow(bySystem.keySet());
    }

    /**
     * Takes a changed configuration without stopping: the plugin's REST resources and shell
     * commands stay, and the next result is judged by the new settings. A value not allowed is
     * logged, and the one in use stays.
     */
    @Modified
    void modified(MonitoringConfig config) {
        configure(settings.change(config));
        synchronized (this) {
            // Only if it sweeps: built for tests, it leaves sweeping to them.
            if (sweeping != null) {
                schedule();
            }
        }
    }

    @Deactivate
    void deactivate() {
        Settings.forget(MonitoringConfig.PID);
        downtimes.whenChanged(() -> { });
        downtimes.checksFrom((system, check) -> true);
        flush();
        background.shutdownNow();
    }

    private void configure(Settings<MonitoringConfig> read) {
        read.whole("maxAttempts", 1, 100);
        read.whole("intervalSeconds", 1, Integer.MAX_VALUE);
        read.decimal("staleTolerance", 1, Double.MAX_VALUE);
        read.decimal("flapLow", 0, 100);
        read.decimal("flapHigh", 0, 100);
        read.require("flapLow must be at most flapHigh", config -> config.flapLow() <= config.flapHigh(),
                "flapLow", "flapHigh");
        read.whole("sweepSeconds", 1, Integer.MAX_VALUE);
        read.whole("historyDays", 30, Integer.MAX_VALUE);
        MonitoringConfig config = read.values();
        historyKept = Duration.ofDays(config.historyDays());
        machine = new StateMachine(new StateMachine.Settings(config.maxAttempts(), config.intervalSeconds(),
                config.flapLow(), config.flapHigh(), config.staleTolerance()));
        settings = read;
    }

    private synchronized void schedule() {
        if (sweeping != null) {
            sweeping.cancel(false);
        }
        sweeping = background.scheduleWithFixedDelay(this::sweep, 0, settings.values().sweepSeconds(),
                TimeUnit.SECONDS);
    }

    @Override
    public Set<String> types() {
        return Set.of(CheckResult.NAMESPACE);
    }

    @Override
    public String name() {
        return "monitoring";
    }

    @Override
    public void start(StatusSink newSink) {
        sink = newSink;
        showNow(List.of(), bySystem.keySet());
    }

    @Override
    public void stop() {
        sink = null;
        told.clear();
    }

    /** Takes a batch of results: applied in order and stored in one transaction; shown moments later. */
    @Override
    public int accept(List<AgentObservation> observations) {
        List<CheckResult> results = new ArrayList<>(observations.size());
        for (AgentObservation observation : observations) {
            results.add(CheckResult.of(observation));
        }
        Map<String, UUID> ids = new HashMap<>();
        for (CheckResult result : results) {
            ids.computeIfAbsent(result.system(), system -> systems.find(system).map(ManagedSystem::id)
                    .orElseThrow(() -> result.refused("system " + system + " does not exist")));
        }
        for (Map.Entry<String, UUID> system : ids.entrySet()) {
            UUID kept = keptFor(system.getKey());
            if (kept != null && !kept.equals(system.getValue())) {
                // Kept for a system deleted or renamed since, which the kernel has not told of yet: not this one's.
                follow(List.of(system.getKey()));
            }
        }
        int taken = 0;
        List<Change> changes = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        results.forEach(result -> keys.add(key(result.system(), result.check())));
        lock(keys);
        Map<String, Integer> making = new HashMap<>();
        try {
            // Read once the locks are held, so that nothing changed while waiting for them seems to come after.
            Instant now = clock.instant();
            makeRoom(results, making);
            Map<String, CheckState> next = new HashMap<>();
            for (CheckResult result : results) {
                String key = key(result.system(), result.check());
                CheckState before = next.containsKey(key) ? next.get(key) : find(result.system(), result.check());
                Optional<StateMachine.Step> step = machine.apply(before, result, ids.get(result.system()), now);
                if (step.isPresent()) {
                    next.put(key, step.get().state());
                    step.get().changes().forEach(change -> changes.add(covered(change)));
                    taken++;
                }
            }
            if (!next.isEmpty()) {
                save(next.values(), changes);
            }
        } finally {
            making.forEach((system, checks) -> beingMade.computeIfPresent(system, (same, all) -> {
                int left = all - checks;
                return left == 0 ? null : left;
            }));
            unlock(keys);
        }
        if (taken > 0) {
            showLater(changes, results.stream().map(CheckResult::system).toList());
        }
        return taken;
    }

    /** Returns a hard change as made in the downtime that covered its check at its time, if one did. */
    private Change covered(Change change) {
        if (change.kind() != Change.Kind.HARD) {
            return change;
        }
        return downtimes.covering(change.state().system(), change.state().check(), change.time())
                .map(change::during).orElse(change);
    }

    /**
     * Counts the checks a batch makes as being made on their systems, all of a system's or none: with those
     * a system has and those other batches are making at the same moment, at most
     * {@link #MAX_CHECKS_PER_SYSTEM}. What is counted goes into {@code making}, to be given back when the
     * batch is done. A batch that does not fit is refused, naming its first result that does not.
     */
    private void makeRoom(List<CheckResult> results, Map<String, Integer> making) {
        Map<String, List<CheckResult>> made = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (CheckResult result : results) {
            if (seen.add(key(result.system(), result.check())) && find(result.system(), result.check()) == null) {
                made.computeIfAbsent(result.system(), system -> new ArrayList<>()).add(result);
            }
        }
        made.forEach((system, newChecks) -> {
            int[] free = new int[1];
            beingMade.compute(system, (same, all) -> {
                int now = all == null ? 0 : all;
                free[0] = MAX_CHECKS_PER_SYSTEM - now - bySystem.getOrDefault(system, Map.of()).size();
                return newChecks.size() <= free[0] ? Integer.valueOf(now + newChecks.size()) : all;
            });
            if (newChecks.size() > free[0]) {
                throw newChecks.get(Math.max(0, free[0])).refused("system " + system + " would have more than "
                        + MAX_CHECKS_PER_SYSTEM + " checks, the most a system may have; remove those its agents"
                        + " no longer run first");
            }
            making.put(system, newChecks.size());
        });
    }

    /**
     * Returns what to throw about a check without results: that its system does not exist, if it does
     * not, else that the system has no such check.
     *
     * @throws NotFoundException naming the system, if it does not exist
     */
    NotFoundException noCheck(String system, String check) {
        systems.get(system);
        return noCheck(system, check, false);
    }

    /** Returns what to throw about a system that has no check by this name, nor, if {@code members}, its members. */
    static NotFoundException noCheck(String system, String check, boolean members) {
        return new NotFoundException("system " + Messages.quote(system) + " has no check " + Messages.quote(check)
                + (members ? ", nor have its members" : ""));
    }

    /** Returns a check's state, if it ever had a result. */
    public Optional<CheckState> get(String system, String check) {
        return Optional.ofNullable(find(system, check));
    }

    /** Returns the checks of a system, by name. */
    public List<CheckState> of(String system) {
        Map<String, CheckState> checks = bySystem.get(system);
        return checks == null ? List.of() : checks.values().stream()
                .sorted((a, b) -> a.check().compareTo(b.check())).toList();
    }

    /** Returns the slugs of the systems that have checks. */
    public Set<String> systems() {
        return Set.copyOf(bySystem.keySet());
    }

    /** Returns the downtime that covers a check now, if one does. */
    public Optional<Downtime> downtime(CheckState state) {
        return downtimes.covering(state.system(), state.check(), clock.instant());
    }

    /**
     * Returns whether the check's problem is acknowledged now: not once its acknowledgement expired,
     * though the sweep is yet to end it.
     */
    public boolean acknowledged(CheckState state) {
        return state.ack() != null && !state.ack().expired(clock.instant());
    }

    /** Returns whether someone knows about the check's problem: acknowledged, or in downtime. */
    public boolean handled(CheckState state) {
        return acknowledged(state) || downtime(state).isPresent();
    }

    /**
     * Acknowledges a check's problem.
     *
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:ack} on the system
     * @throws NotFoundException if the system does not exist, or the check has no results
     * @throws ConflictException if it is no problem now, or acknowledged already by someone else: as in
     *     Icinga 2, another's acknowledgement is replaced only by removing it first; one's own is replaced
     * @throws InvalidRequestException if the comment is missing or too long, or the expiry past
     */
    public CheckState acknowledge(Caller caller, String system, String check, String comment, boolean sticky,
            Instant expires) {
        caller.require(MonitoringPermissions.ACK, system);
        return acknowledge(ShellText.source(caller.source()), system, check, comment, sticky, expires, null, null);
    }

    /**
     * Acknowledges a check's problem for someone already authorised, such as a peer under a grant
     * that names {@link PeerAcks#ACTION}.
     *
     * @param author who, as the acknowledgement shows it
     * @param asked when the problem was seen and the acknowledgement asked for, on another clock;
     *     {@code null} for now. A problem whose hard status changed since (more than {@link
     *     PeerAcks#CLOCK_SKEW} later) is another one, which no one has looked at: it is not acknowledged.
     * @param seen the time of the check's latest hard change that the asker knew of, as this instance
     *     told it (on this instance's clock, to the millisecond); {@code null} if it knew of none. Given,
     *     the problem is another one if its hard status changed after that, however soon after
     *     {@code asked}.
     */
    CheckState acknowledge(String author, String system, String check, String comment, boolean sticky,
            Instant expires, Instant asked, Instant seen) {
        checkAck(comment, expires, clock.instant());
        return change(system, check, (state, now) -> {
            if (!state.problem()) {
                throw new ConflictException(system + "/" + check + " is ok: there is no problem to acknowledge");
            }
            if (acknowledged(state) && !state.ack().author().equals(author)) {
                throw new ConflictException(system + "/" + check + " is already acknowledged by " + state.ack().author()
                        + " at " + ShellText.time(state.ack().time()) + ": \"" + state.ack().comment()
                        + "\". To replace it, remove it first (DELETE …/ack, or monitoring:ack --remove " + system
                        + " " + check + ")");
            }
            if (seen != null && state.lastHardChange().truncatedTo(ChronoUnit.MILLIS).isAfter(seen)) {
                throw new ConflictException(system + "/" + check + " changed at " + state.lastHardChange()
                        + ", after the change the acknowledgement was asked about, at " + seen);
            }
            if (asked != null && state.lastHardChange().isAfter(asked.plus(PeerAcks.CLOCK_SKEW))) {
                throw new ConflictException(system + "/" + check + " changed at " + state.lastHardChange()
                        + ", after the acknowledgement was asked for at " + asked);
            }
            if (expires != null && !expires.isAfter(now)) {
                // Checked again at the time it is made: the lock may have been waited for.
                throw new InvalidRequestException("expires must be in the future, not " + expires);
            }
            CheckState acked = state.withAck(new Ack(author, comment.strip(), sticky, now, expires));
            Change made = new Change(Change.Kind.ACKNOWLEDGED, acked, state.status(), now, author);
            if (state.ack() != null && state.ack().expired(now)) {
                // Expired, though the sweep has not ended it yet: it ends before the new one starts.
                Change ended = new Change(Change.Kind.ACK_ENDED, state.withAck(null), state.status(), now);
                return new StateMachine.Step(acked, List.of(ended, made));
            }
            return new StateMachine.Step(acked, List.of(made));
        });
    }

    /**
     * Checks what an acknowledgement says.
     *
     * @throws InvalidRequestException if the comment is missing or too long, or it expires already
     */
    static void checkAck(String comment, Instant expires, Instant now) {
        if (comment == null || comment.isBlank()) {
            throw new InvalidRequestException("comment is required: what is known or done, in at most " + MAX_COMMENT
                    + " characters");
        }
        if (comment.length() > MAX_COMMENT) {
            throw new InvalidRequestException("comment is at most " + MAX_COMMENT + " characters, not "
                    + comment.length());
        }
        if (expires != null && !expires.isAfter(now)) {
            throw new InvalidRequestException("expires must be in the future, not " + expires);
        }
    }

    /**
     * Removes a check's acknowledgement; its {@code monitoring.ack-ended} says who did.
     *
     * @throws ConflictException if it has none, or the system is a peer's, which holds its acknowledgements
     */
    public CheckState unacknowledge(Caller caller, String system, String check) {
        String by = ShellText.source(caller.source());
        caller.require(MonitoringPermissions.ACK, system);
        Optional<String> peer = SystemDraft.peer(system);
        if (peer.isPresent() && systems.find(system).isPresent()) {
            throw new ConflictException(system + " is " + peer.get() + "'s: its acknowledgements are removed there");
        }
        return change(system, check, (state, now) -> {
            if (!acknowledged(state)) {
                throw new ConflictException(system + "/" + check + " is not acknowledged");
            }
            CheckState plain = state.withAck(null);
            return new StateMachine.Step(plain, List.of(new Change(Change.Kind.ACK_ENDED, plain, state.status(),
                    now, by)));
        });
    }

    /**
     * Sets after how many failing results in a row a check's problem is hard, overruling its agent;
     * {@code 0} returns the choice to the agent. It counts from the check's next result on. A change
     * puts {@code monitoring.policy-changed} on the timeline, stored with it: the check, its
     * {@code maxAttempts} before and after (0 for none) and who changed it.
     *
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:configure} on the system
     * @throws NotFoundException if the system does not exist, or the check has no results
     * @throws InvalidRequestException if it is not between 0 and 100
     */
    public CheckState setMaxAttempts(Caller caller, String system, String check, int maxAttempts) {
        caller.require(MonitoringPermissions.CONFIGURE, system);
        if (maxAttempts < 0 || maxAttempts > 100) {
            throw new InvalidRequestException("maxAttempts is between 1 and 100, or 0 for the agent's, not "
                    + maxAttempts);
        }
        List<Outbox.Owed> events = new ArrayList<>();
        return change(system, check, (state, now) -> {
            if (state.policyMaxAttempts() != maxAttempts) {
                events.add(new Outbox.Owed(new EventDraft("monitoring:policy-changed:" + UUID.randomUUID(),
                        "monitoring.policy-changed", system, now, caller.source(), JsonNodeFactory.instance.objectNode()
                                .put("check", check).put("maxAttempts", maxAttempts)
                                .put("maxAttemptsBefore", state.policyMaxAttempts())
                                .put("by", ShellText.source(caller.source())).toString()), state.systemId()));
            }
            return new StateMachine.Step(state.withPolicy(maxAttempts), List.of());
        }, events);
    }

    /**
     * Forgets a check that is gone for good: its state and history; its events stay on the
     * timeline, with one that says who removed it. A result that comes later makes it anew.
     *
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:configure} on the system
     * @throws NotFoundException if the system does not exist, or the check has no results
     */
    public void remove(Caller caller, String system, String check) {
        caller.require(MonitoringPermissions.CONFIGURE, system);
        Set<String> key = Set.of(key(system, check));
        List<Outbox.Owed> events;
        lock(key);
        try {
            CheckState state = get(system, check).orElseThrow(() -> noCheck(system, check));
            events = List.of(new Outbox.Owed(new EventDraft("monitoring:check-removed:" + UUID.randomUUID(),
                    "monitoring.check-removed", system, clock.instant(), caller.source(),
                    JsonNodeFactory.instance.objectNode()
                            .put("check", check).put("status", state.shown())
                            .put("by", ShellText.source(caller.source())).toString()), state.systemId()));
            store.forget(system, check, events);
            bySystem.computeIfPresent(system, (slug, checks) -> {
                checks.remove(check);
                return checks.isEmpty() ? null : checks;
            });
        } finally {
            unlock(key);
        }
        outbox.send(events);
        showNow(List.of(), List.of(system));
    }

    /**
     * Follows the kernel's systems as they change: a deleted system's checks are forgotten, a renamed
     * one's move, after the downtimes: a member renamed, added or taken out of an aggregate in
     * downtime has every system's status told again, without waiting for the sweep.
     */
    @Override
    public void event(SystemEvent event) {
        boolean covering = downtimes.follow(event);
        follow(Follow.concerned(event));
        if (covering) {
            showLater(List.of(), bySystem.keySet());
        }
    }

    /**
     * Makes the checks kept under these slugs follow their systems (see {@link Follow}): moved with
     * their history to the slug the system has now, or forgotten with their history when the system
     * is gone, as their events stay on the timeline. The systems' status is told later, not on the
     * kernel's thread, which may hold the systems' lock.
     */
    private void follow(Collection<String> slugs) {
        Follow plan;
        synchronized (following) {
            plan = Follow.of(slugs, this::keptFor, systems);
            if (plan.isEmpty()) {
                return;
            }
            Set<String> keys = new HashSet<>();
            plan.slugs().forEach(slug -> keys.addAll(keysOf(slug)));
            lock(keys);
            try {
                store.follow(plan);
                plan.forgotten().forEach(bySystem::remove);
                plan.slugs().forEach(slug -> told.computeIfPresent(slug, (same, before) -> OF_ANOTHER_SYSTEM));
                Map<String, Map<String, CheckState>> moving = new HashMap<>();
                for (Follow.Move move : plan.moves()) {
                    Map<String, CheckState> checks = bySystem.remove(move.from());
                    if (checks != null) {
                        Map<String, CheckState> into = moving.computeIfAbsent(move.to(),
                                to -> new ConcurrentHashMap<>());
                        // Two of a system's old slugs may move to one: the first keeps a check, as its row does.
                        checks.forEach((check, state) -> into.putIfAbsent(check, state.withSystem(move.to())));
                    }
                }
                // Merged with the checks results made there meanwhile, which are newer, as the rows are.
                moving.forEach((to, moved) -> bySystem.merge(to, moved, (there, arriving) -> {
                    arriving.forEach(there::putIfAbsent);
                    return there;
                }));
            } finally {
                unlock(keys);
            }
        }
        showLater(List.of(), plan.slugs());
    }

    /** Returns the id of the system whose checks are kept under a slug; {@code null} if none are. */
    private UUID keptFor(String slug) {
        Map<String, CheckState> checks = bySystem.get(slug);
        return checks == null ? null : checks.values().stream().findAny().map(CheckState::systemId).orElse(null);
    }

    private Set<String> keysOf(String system) {
        Set<String> keys = new HashSet<>();
        of(system).forEach(state -> keys.add(key(system, state.check())));
        return keys;
    }

    /** A change of one check, made under its lock at the time given, read once the lock is held. */
    @FunctionalInterface
    private interface Edit {
        StateMachine.Step apply(CheckState state, Instant now);
    }

    /** Changes a check for someone waiting: returns once the change is stored and shown. */
    private CheckState change(String system, String check, Edit edit) {
        return change(system, check, edit, List.of());
    }

    /**
     * Changes a check for someone waiting, storing with it the events the edit owes the timeline (it
     * adds them to {@code owed} as it runs), and returns once the change is stored and shown.
     */
    private CheckState change(String system, String check, Edit edit, List<Outbox.Owed> owed) {
        StateMachine.Step step = edit(system, check, edit, owed);
        if (!owed.isEmpty()) {
            outbox.send(owed);
        }
        showNow(step.changes(), List.of(system));
        return step.state();
    }

    /** Changes a check and stores it with the events owed; not yet shown. */
    private StateMachine.Step edit(String system, String check, Edit edit, List<Outbox.Owed> owed) {
        Set<String> key = Set.of(key(system, check));
        lock(key);
        try {
            CheckState state = get(system, check).orElseThrow(() -> noCheck(system, check));
            StateMachine.Step step = edit.apply(state, clock.instant());
            save(List.of(step.state()), step.changes(), owed);
            return step;
        } finally {
            unlock(key);
        }
    }

    /**
     * Makes downtimes and checks follow systems renamed or deleted without the kernel telling, marks
     * stale checks, ends expired acknowledgements, and shows what changed and what was not shown
     * before; every few seconds, on the background thread. Each part runs even when another failed.
     */
    void sweep() {
        Instant now = clock.instant();
        attempt("make downtimes follow their systems", downtimes::follow);
        attempt("make checks follow their systems", () -> follow(bySystem.keySet()));
        attempt("put owed events on the timeline", outbox::sendOwed);
        attempt("announce downtime windows", () -> downtimes.announce(now));
        attempt("mark stale checks and end expired acknowledgements", this::expire);
        attempt(PUBLISH, this::publishStored);
        attempt(TELL, () -> tell(bySystem.keySet()));
        attempt("delete old history", () -> prune(now));
    }

    /** Deletes history older than the configured days, once an hour, {@link #SWEEP_PART} at a sweep. */
    private void prune(Instant now) {
        if (!pruneUnfinished) {
            if (now.isBefore(prunedAt.plus(PRUNE_EVERY))) {
                return;
            }
            prunedAt = now;
        }
        Instant cut = prunedAt.minus(historyKept);
        int[] deleted = {0};
        pruneUnfinished = !inTurn(() -> {
            int chunk = store.prune(cut, PRUNE_CHUNK);
            deleted[0] += chunk;
            return chunk == PRUNE_CHUNK;
        });
        if (deleted[0] > 0) {
            LOG.info("Deleted {} entries of checks' history older than {} days{}", deleted[0], historyKept.toDays(),
                    pruneUnfinished ? "; more at the next sweep" : "");
        }
    }

    /**
     * Works through a backlog chunk after chunk while there may be more, for {@link #SWEEP_PART}
     * at most.
     *
     * @param chunk works through one chunk and returns whether there may be more
     * @return whether the backlog is done
     */
    static boolean inTurn(BooleanSupplier chunk) {
        long until = System.nanoTime() + SWEEP_PART.toNanos();
        boolean more;
        do {
            more = chunk.getAsBoolean();
        } while (more && System.nanoTime() - until < 0);
        return !more;
    }

    private void attempt(String what, Runnable part) {
        try {
            part.run();
            failures(what).worked();
        } catch (RuntimeException | Error e) {
            // Not even an error may end the sweep: the executor would never run it again.
            failures(what).failed("The monitoring sweep could not " + what + " now; it tries again shortly", e);
        }
    }

    /** Returns what says that a part of the sweep fails, such as {@link #PUBLISH}. */
    private FailureLog failures(String what) {
        return failures.computeIfAbsent(what, part -> new FailureLog(LOG, "The monitoring sweep can " + part, clock));
    }

    /**
     * Marks checks stale whose result is overdue (see {@link CheckState#staleAfter}), counted from
     * {@link #AGENTS_RETURN} after this node's start, or after the database was last found
     * unreachable, at the earliest so that agents can send what waited meanwhile, and ends expired
     * acknowledgements: a few hundred checks to a transaction, as thousands may go stale at once when
     * a network fails. While the database is away, every sweep finds it so: each reads it.
     */
    private void expire() {
        double tolerance = machine.settings().staleTolerance();
        Instant listed = clock.instant();
        List<CheckState> due = bySystem.values().stream().flatMap(checks -> checks.values().stream())
                .filter(state -> expired(state, listed, tolerance).isPresent()).toList();
        for (int from = 0; from < due.size(); from += EXPIRE_CHUNK) {
            List<CheckState> group = due.subList(from, Math.min(due.size(), from + EXPIRE_CHUNK));
            Set<String> keys = new HashSet<>();
            group.forEach(state -> keys.add(key(state.system(), state.check())));
            lock(keys);
            try {
                // Read under the locks, as accept reads its batch's time.
                Instant now = clock.instant();
                List<CheckState> states = new ArrayList<>();
                List<Change> changes = new ArrayList<>();
                for (CheckState candidate : group) {
                    // Looked at again under its lock: a result may have come, or the check been removed.
                    Optional.ofNullable(find(candidate.system(), candidate.check()))
                            .flatMap(state -> expired(state, now, tolerance)).ifPresent(step -> {
                                states.add(step.state());
                                changes.addAll(step.changes());
                            });
                }
                if (!states.isEmpty()) {
                    save(states, changes);
                }
            } finally {
                unlock(keys);
            }
        }
    }

    /**
     * Returns the step that makes a check stale or ends its expired acknowledgement, if one is due.
     * Going stale is a change of status, which ends an acknowledgement that is not sticky: it was
     * given for what the check said, and now nothing says anything.
     */
    private Optional<StateMachine.Step> expired(CheckState state, Instant now, double tolerance) {
        List<Change.Kind> kinds = new ArrayList<>(2);
        CheckState next = state;
        if (!state.stale() && now.isAfter(state.staleAfter(tolerance, staleNotBefore.get()))) {
            next = next.withStale(true);
            kinds.add(Change.Kind.STALE);
        }
        Ack ack = state.ack();
        if (ack != null && (ack.expired(now) || ack.endedBy(false, next.stale() != state.stale()))) {
            next = next.withAck(null);
            kinds.add(Change.Kind.ACK_ENDED);
        }
        CheckState changed = next;
        return kinds.isEmpty() ? Optional.empty() : Optional.of(new StateMachine.Step(changed, kinds.stream()
                .map(kind -> new Change(kind, changed, state.status(), now)).toList()));
    }

    private CheckState find(String system, String check) {
        Map<String, CheckState> checks = bySystem.get(system);
        return checks == null ? null : checks.get(check);
    }

    /** Stores states and their history, then keeps the states; the caller holds their locks. */
    private void save(Collection<CheckState> states, List<Change> changes) {
        save(states, changes, List.of());
    }

    /** Stores states, their history and the events owed with them, then keeps the states; under their locks. */
    private void save(Collection<CheckState> states, List<Change> changes, List<Outbox.Owed> owed) {
        List<CheckState> created = new ArrayList<>();
        List<CheckState> changed = new ArrayList<>();
        for (CheckState state : states) {
            (find(state.system(), state.check()) == null ? created : changed).add(state);
        }
        commits.store(new Save(created, changed, changes, owed));
        for (CheckState state : states) {
            // Atomic for the system: a removal that empties its map cannot drop a check added meanwhile.
            bySystem.compute(state.system(), (system, checks) -> {
                Map<String, CheckState> kept = checks != null ? checks : new ConcurrentHashMap<>();
                kept.put(state.check(), state);
                return kept;
            });
        }
    }

    /** Stores several batches in one transaction. */
    private void store(List<Save> saves) {
        List<CheckState> created = new ArrayList<>();
        List<CheckState> changed = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        List<Outbox.Owed> owed = new ArrayList<>();
        for (Save save : saves) {
            created.addAll(save.created());
            changed.addAll(save.changed());
            changes.addAll(save.changes());
            owed.addAll(save.owed());
        }
        store.save(created, changed, changes, owed);
    }

    /** Has the background thread show changes and the systems' status soon, without waiting for it. */
    private void showLater(List<Change> changes, Collection<String> systemsTouched) {
        queue(changes, systemsTouched);
        if (showing.compareAndSet(false, true)) {
            try {
                background.execute(this::show);
            } catch (RejectedExecutionException stopping) {
                // Stored as not yet shown: the next sweep shows it.
            }
        }
    }

    /** Shows changes and the systems' status, and returns once they are shown. */
    private void showNow(List<Change> changes, Collection<String> systemsTouched) {
        queue(changes, systemsTouched);
        if (Thread.currentThread() == backgroundThread) {
            show();
            return;
        }
        try {
            CompletableFuture.runAsync(this::show, background).join();
        } catch (RejectedExecutionException stopping) {
            // Stored as not yet shown: the next sweep shows it.
        }
    }

    /** Returns once everything changed so far is shown. */
    void flush() {
        showNow(List.of(), List.of());
    }

    private void queue(List<Change> changes, Collection<String> systemsTouched) {
        for (Change change : changes) {
            if (change.kind().onTimeline()) {
                unshown.add(HistoryEntry.of(change));
            }
        }
        untold.addAll(systemsTouched);
    }

    /**
     * Puts what people should see on the timeline and tells the kernel the systems' status; on the
     * background thread.
     */
    private void show() {
        showing.set(false);
        List<HistoryEntry> entries = new ArrayList<>();
        for (HistoryEntry entry = unshown.poll(); entry != null; entry = unshown.poll()) {
            entries.add(entry);
        }
        Set<String> slugs = new LinkedHashSet<>();
        for (Iterator<String> it = untold.iterator(); it.hasNext(); it.remove()) {
            slugs.add(it.next());
        }
        // Said as the sweep's part that tries again, which says when it works again.
        try {
            publish(entries);
        } catch (RuntimeException e) {
            failures(PUBLISH).failed("Check changes could not go on the timeline now; the sweep tries again", e);
        }
        try {
            tell(slugs);
        } catch (RuntimeException e) {
            failures(TELL).failed("Systems' status could not be told now; the sweep tries again", e);
        }
    }

    /**
     * Puts stored changes not yet on the timeline there, oldest first, a chunk at a time, {@link
     * #SWEEP_PART} at a sweep.
     */
    private void publishStored() {
        inTurn(() -> {
            List<HistoryEntry> entries = store.unpublished(TIMELINE_CHUNK);
            return publish(entries) > 0 && entries.size() == TIMELINE_CHUNK;
        });
    }

    /**
     * Puts changes on the timeline, a chunk at a time, and notes them as published. Those of systems
     * that do not exist now are left for later: the timeline refuses events about them, and the
     * system was renamed, and they move with its checks, or deleted, and they go with them.
     *
     * @return how many are done with: on the timeline, or refused by it for good and dropped
     */
    private int publish(List<HistoryEntry> entries) {
        List<HistoryEntry> known = entries.stream().filter(entry -> systems.find(entry.system()).isPresent())
                .toList();
        int published = 0;
        for (int from = 0; from < known.size(); from += TIMELINE_CHUNK) {
            List<HistoryEntry> chunk = known.subList(from, Math.min(known.size(), from + TIMELINE_CHUNK));
            List<HistoryEntry> done = chunk;
            try {
                timeline.append(chunk.stream().map(Checks::draft).toList());
            } catch (RuntimeException e) {
                if (!Outbox.refusal(e)) {
                    throw e;
                }
                done = publishAlone(chunk);
            }
            store.published(done);
            published += done.size();
        }
        return published;
    }

    /**
     * Puts changes on the timeline one by one, after it refused a chunk of them, and returns those
     * done with: on the timeline, or refused for what they are, which are dropped and logged so that
     * they hold back no other. One whose system was renamed a moment ago waits for the next sweep.
     */
    private List<HistoryEntry> publishAlone(List<HistoryEntry> chunk) {
        List<HistoryEntry> done = new ArrayList<>();
        for (HistoryEntry entry : chunk) {
            try {
                timeline.append(draft(entry));
                done.add(entry);
            } catch (NotFoundException renamed) {
                // It moves with its check to the new slug, and goes on the timeline from there.
            } catch (RuntimeException e) {
                if (!Outbox.refusal(e)) {
                    throw e;
                }
                LOG.error("The {} of check {} of {} at {} is not put on the timeline: the timeline refuses it: {}",
                        entry.kind().label(), entry.check(), entry.system(), entry.time(), e.getMessage());
                done.add(entry);
            }
        }
        return done;
    }

    private static EventDraft draft(HistoryEntry entry) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("check", entry.check())
                .put("status", entry.status().label()).put("from", entry.from().label()).put("hard", entry.hard())
                .put("attempt", entry.attempt()).put("output", entry.output());
        if (entry.acknowledged() != null) {
            body.put("acknowledged", entry.acknowledged()).put("inDowntime", entry.inDowntime());
        }
        if (entry.downtime() != null) {
            body.put("downtime", entry.downtime().toString());
        }
        if (entry.ack() != null) {
            body.put("author", entry.ack().author()).put("comment", entry.ack().comment())
                    .put("sticky", entry.ack().sticky());
            if (entry.ack().expires() != null) {
                body.put("expires", entry.ack().expires().toString());
            }
        } else if (entry.by() != null) {
            body.put("by", entry.by());
        }
        return new EventDraft(entry.eventId(), entry.kind().eventType(), entry.system(), entry.time(), SOURCE,
                body.toString());
    }

    /** Tells the kernel the status of each system whose status or summary changed; on the background thread. */
    private void tell(Collection<String> slugs) {
        StatusSink current = sink;
        if (current == null) {
            return;
        }
        for (String system : slugs) {
            if (!bySystem.containsKey(system)) {
                if (told.remove(system) != null) {
                    current.clear(system);
                }
                continue;
            }
            Told now = judge(system);
            if (!now.equals(told.get(system))) {
                try {
                    current.report(system, now.status(), now.summary());
                    told.put(system, now);
                } catch (NotFoundException gone) {
                    told.remove(system);
                }
            }
        }
    }

    /**
     * A system's status from its checks: the worst hard status (stale counts as unknown) among
     * the problems nobody has acknowledged or scheduled a downtime for.
     */
    private Told judge(String system) {
        Status worst = Status.OK;
        Map<CheckStatus, List<String>> problems = new EnumMap<>(CheckStatus.class);
        List<String> stale = new ArrayList<>();
        int handled = 0;
        List<CheckState> checks = of(system);
        for (CheckState state : checks) {
            boolean problem = state.stale() || state.hardStatus() != CheckStatus.OK;
            if (!problem) {
                continue;
            }
            if (handled(state)) {
                handled++;
            } else if (state.stale()) {
                stale.add(state.check());
                worst = worst.worst(Status.UNKNOWN);
            } else {
                problems.computeIfAbsent(state.hardStatus(), s -> new ArrayList<>()).add(state.check());
                worst = worst.worst(state.hardStatus().kernel());
            }
        }
        StringBuilder summary = new StringBuilder();
        for (CheckStatus status : List.of(CheckStatus.CRITICAL, CheckStatus.UNKNOWN, CheckStatus.WARNING)) {
            List<String> names = problems.get(status);
            if (names != null) {
                summary.append(summary.isEmpty() ? "" : "; ").append(status.label()).append(": ")
                        .append(String.join(", ", names));
            }
        }
        if (!stale.isEmpty()) {
            summary.append(summary.isEmpty() ? "" : "; ").append("stale: ").append(String.join(", ", stale));
        }
        if (summary.isEmpty()) {
            int ok = checks.size() - handled;
            summary.append(ok).append(ok == 1 ? " check ok" : " checks ok");
        }
        if (handled > 0) {
            summary.append("; ").append(handled).append(handled == 1 ? " problem" : " problems")
                    .append(" acknowledged or in downtime");
        }
        return new Told(worst, summary.toString());
    }

    private static String key(String system, String check) {
        return system + '\u0000' + check;
    }

    /** A check's lock and how many callers hold it or wait for it; kept only while some do. */
    private static final class KeyLock {
        final ReentrantLock lock = new ReentrantLock();
        /** Changed only in the map's atomic compute of its key. */
        int users;
    }

    /**
     * Locks checks in one order, so that two batches with checks in common cannot deadlock. A lock
     * is made for a check, known or not, as it is asked for, and dropped once no one holds it.
     */
    private void lock(Set<String> keys) {
        keys.stream().sorted().forEach(key -> locks.compute(key, (k, held) -> {
            KeyLock used = held == null ? new KeyLock() : held;
            used.users++;
            return used;
        }).lock.lock());
    }

    /** Returns how many checks are locked, or waited for, now. */
    int locked() {
        return locks.size();
    }

    private void unlock(Set<String> keys) {
        keys.forEach(key -> locks.computeIfPresent(key, (k, held) -> {
            held.lock.unlock();
            return --held.users == 0 ? null : held;
        }));
    }
}
