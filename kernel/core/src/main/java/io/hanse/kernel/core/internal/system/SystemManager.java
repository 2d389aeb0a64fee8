package io.hanse.kernel.core.internal.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusChange;
import io.hanse.api.status.StatusContributor;
import io.hanse.api.status.StatusListener;
import io.hanse.api.status.StatusService;
import io.hanse.api.status.StatusSink;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemListener;
import io.hanse.api.system.SystemService;
import io.hanse.api.security.Caller;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.StoredSystem;
import io.hanse.kernel.store.SystemStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of the system and status services. The whole graph lives in memory, loaded
 * at start; a change is checked against it, stored, and only then applied, so a refused or failed
 * change leaves both as they were. Listeners are told afterwards, in order, on one thread; for slow
 * ones, at most {@value #MAX_WAITING} system events and as many status changes wait one by one, and
 * further events are dropped, further status changes of one system merged (see {@link Notifier}).
 */
@Component(service = {SystemService.class, SystemAdminService.class, StatusService.class, SystemIndex.class})
public final class SystemManager implements SystemService, SystemAdminService, StatusService, SystemIndex {

    private static final Logger LOG = LoggerFactory.getLogger(SystemManager.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SUMMARY_MAX = 500;
    /**
     * How long the reports of a contributor that went away stay: one of its name that starts meanwhile,
     * as a plugin restarted or updated does, reports again what it knows, and only the rest is withdrawn.
     */
    static final Duration WITHDRAWAL_GRACE = Duration.ofMinutes(1);
    /** How many system events, and status changes, wait one by one for slow listeners. */
    private static final int MAX_WAITING = 10_000;

    private final SystemStore store;
    private final Clock clock;
    private final BooleanSupplier stopping;
    private final Later later;
    private final SystemGraph graph = new SystemGraph();
    /** Serialises changes to the graph's shape, from check to store to apply. */
    private final ReentrantLock changeLock = new ReentrantLock();
    /** Guards the graph in memory; held only while reading it or applying a change, never during I/O. */
    private final ReentrantReadWriteLock memory = new ReentrantReadWriteLock();
    private final Notifier notifier = new Notifier(MAX_WAITING, this::tell, this::tell);
    private final List<SystemListener> systemListeners = new CopyOnWriteArrayList<>();
    /** Counts changes of systems, right after each is made; see {@link #version()}. */
    private final AtomicLong version = new AtomicLong();
    private final List<StatusListener> statusListeners = new CopyOnWriteArrayList<>();
    private final Map<StatusContributor, Sink> contributors = new ConcurrentHashMap<>();
    /** Contributors whose name another has, by name, in the order they came; guarded by this. */
    private final Map<StatusContributor, String> waitingContributors = new LinkedHashMap<>();

    @Activate
    public SystemManager(@Reference SystemStore store) {
        this(store, Clock.systemUTC(), SystemManager::containerStopping, new Timer());
    }

    /**
     * @param stopping whether the whole container stops, so that contributors go without being withdrawn
     * @param later runs the withdrawal of a contributor's reports once {@link #WITHDRAWAL_GRACE} has passed
     */
    SystemManager(SystemStore store, Clock clock, BooleanSupplier stopping, Later later) {
        this.store = store;
        this.clock = clock;
        this.stopping = stopping;
        this.later = later;
        List<StoredSystem> stored = store.loadAll();
        graph.load(stored);
        LOG.info("Loaded {} systems", stored.size());
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            waitingContributors.clear();
            List.copyOf(contributors.keySet()).forEach(this::removeContributor);
        }
        later.stop();
        notifier.stop();
    }

    // --- whiteboard ---

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSystemListener(SystemListener listener) {
        systemListeners.add(listener);
    }

    void removeSystemListener(SystemListener listener) {
        systemListeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStatusListener(StatusListener listener) {
        statusListeners.add(listener);
    }

    void removeStatusListener(StatusListener listener) {
        statusListeners.remove(listener);
    }

    /**
     * Starts a contributor, unless another of its name has started: then it waits until that one goes,
     * and starts in its place.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addContributor(StatusContributor contributor) {
        String name = contributor.name();
        if (contributors.values().stream().anyMatch(sink -> sink.contributor.equals(name))) {
            LOG.error("A second status contributor is named '{}' ({}); it starts only once the first is gone", name,
                    contributor.getClass().getName());
            waitingContributors.put(contributor, name);
            return;
        }
        start(contributor, name);
    }

    private void start(StatusContributor contributor, String name) {
        Sink sink = new Sink(name);
        contributors.put(contributor, sink);
        try {
            contributor.start(sink);
        } catch (RuntimeException e) {
            LOG.error("Status contributor '{}' failed to start; its reports are ignored", name, e);
            removeContributor(contributor);
        }
    }

    synchronized void removeContributor(StatusContributor contributor) {
        if (waitingContributors.remove(contributor) != null) {
            return;
        }
        Sink sink = contributors.remove(contributor);
        if (sink == null) {
            return;
        }
        sink.stopped = true;
        try {
            contributor.stop();
        } catch (RuntimeException e) {
            LOG.warn("Status contributor '{}' failed to stop", sink.contributor, e);
        }
        if (stopping.getAsBoolean()) {
            // Not a recovery: what it said stays true until the next start, where it speaks again. Withdrawn, each of
            // its problems would end on the timeline and at every peer that is granted its system.
            LOG.debug("Status contributor '{}' stops with the container; its reports are not withdrawn",
                    sink.contributor);
        } else {
            // Nor is a restart: withdrawn at once, each problem would end and begin again moments later.
            later.run(() -> withdrawUnrenewed(sink.contributor), WITHDRAWAL_GRACE);
        }
        Optional<StatusContributor> next = waitingContributors.entrySet().stream()
                .filter(waiting -> waiting.getValue().equals(sink.contributor))
                .map(Map.Entry::getKey)
                .findFirst();
        if (next.isPresent()) {
            waitingContributors.remove(next.get());
            LOG.info("Status contributor '{}' ({}) starts in the place of the one gone", sink.contributor,
                    next.get().getClass().getName());
            start(next.get(), sink.contributor);
        }
    }

    /** Returns whether the OSGi framework this runs in stops; never outside one. */
    private static boolean containerStopping() {
        Bundle own = FrameworkUtil.getBundle(SystemManager.class);
        BundleContext context = own == null ? null : own.getBundleContext();
        return context != null && context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING;
    }

    /**
     * Withdraws the reports of a contributor that went away, but those that one of its name, started
     * since, has made again.
     */
    private synchronized void withdrawUnrenewed(String contributor) {
        Optional<Sink> current = contributors.values().stream()
                .filter(sink -> sink.contributor.equals(contributor) && !sink.stopped).findFirst();
        write(changes -> graph.withdraw(contributor, now(), changes,
                id -> current.isPresent() && current.get().reported.contains(id)));
    }

    /** Runs a task once a delay has passed. */
    @FunctionalInterface
    interface Later {
        void run(Runnable task, Duration delay);

        /** Drops what waits. */
        default void stop() {
        }
    }

    /** Runs tasks later on a thread of its own, made as the first is scheduled. */
    private static final class Timer implements Later {

        private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread named = new Thread(runnable, "hanse-status-withdrawals");
            named.setDaemon(true);
            return named;
        });

        @Override
        public void run(Runnable task, Duration delay) {
            thread.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Could not withdraw a status contributor's reports", e);
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void stop() {
            thread.shutdownNow();
        }
    }

    /** The sink handed to one contributor; unusable once the contributor is gone. */
    private final class Sink implements StatusSink {

        private final String contributor;
        private volatile boolean stopped;
        /** The ids of the systems it reported on or cleared. */
        private final Set<UUID> reported = ConcurrentHashMap.newKeySet();

        Sink(String contributor) {
            this.contributor = contributor;
        }

        // Checked under the write lock, as the contributor's reports are withdrawn: else one that passed the
        // check before the contributor stopped could be made after they were, and stay for good.
        @Override
        public void report(String system, Status status, String summary) {
            Objects.requireNonNull(status, "status");
            String line = summary == null ? "" : summary.strip();
            String cut = line.length() > SUMMARY_MAX ? line.substring(0, SUMMARY_MAX) : line;
            write(changes -> {
                checkRunning();
                Node node = graph.get(system);
                graph.report(node, contributor, status, cut, now(), changes);
                reported.add(node.id);
            });
        }

        @Override
        public void clear(String system) {
            write(changes -> {
                checkRunning();
                graph.find(system).ifPresent(node -> {
                    graph.report(node, contributor, null, null, now(), changes);
                    reported.add(node.id);
                });
            });
        }

        private void checkRunning() {
            if (stopped) {
                throw new IllegalStateException("status contributor '" + contributor + "' has been stopped");
            }
        }
    }

    // --- reading ---

    @Override
    public Optional<ManagedSystem> find(String slug) {
        return read(() -> graph.find(slug).map(Node::snapshot));
    }

    @Override
    public Optional<ManagedSystem> find(UUID id) {
        return read(() -> graph.find(id).map(Node::snapshot));
    }

    @Override
    public ManagedSystem get(String slug) {
        return read(() -> graph.get(slug).snapshot());
    }

    @Override
    public List<ManagedSystem> list(String kind, Selector selector) {
        return read(() -> SystemGraph.sorted(graph.nodes().stream()
                .filter(node -> kind == null || node.draft.kind().equals(kind))
                .filter(node -> selector == null || selector.matches(node.draft.labels()))
                .toList()));
    }

    @Override
    public List<ManagedSystem> members(String slug) {
        return read(() -> SystemGraph.sorted(graph.get(slug).members().toList()));
    }

    @Override
    public List<String> transitiveMembers(String slug) {
        return read(() -> {
            Node node = graph.get(slug);
            return graph.selfAndBelow(node).stream()
                    .filter(id -> !id.equals(node.id))
                    .map(id -> graph.find(id).orElseThrow().slug())
                    .sorted()
                    .toList();
        });
    }

    @Override
    public List<ManagedSystem> aggregates(String slug) {
        return read(() -> SystemGraph.sorted(graph.get(slug).parents));
    }

    @Override
    public int count() {
        return read(graph::size);
    }

    @Override
    public long version() {
        return version.get();
    }

    @Override
    public SystemStatus status(String slug, int maxCauses) {
        return read(() -> graph.status(graph.get(slug), Math.max(1, maxCauses)));
    }

    @Override
    public Status rolledUp(String slug) {
        return read(() -> graph.get(slug).rolledUp);
    }

    @Override
    public Optional<UUID> id(String slug) {
        return read(() -> graph.find(slug).map(node -> node.id));
    }

    @Override
    public Set<UUID> selfAndBelow(UUID system) {
        return read(() -> graph.find(system).map(graph::selfAndBelow).orElse(Set.of()));
    }

    @Override
    public boolean isWithin(UUID system, UUID ancestor) {
        return read(() -> {
            Optional<Node> node = graph.find(system);
            Optional<Node> top = graph.find(ancestor);
            return node.isPresent() && top.isPresent() && SystemGraph.isWithin(node.get(), top.get());
        });
    }

    // --- changing ---

    @Override
    public ManagedSystem create(SystemDraft draft, Caller caller) {
        caller.require(SYSTEMS_WRITE);
        requireLocalSlug(draft.slug());
        return change(at -> graph.planCreate(UUID.randomUUID(), draft, at), null, caller, "system.create");
    }

    @Override
    public ManagedSystem putRemote(UUID id, SystemDraft draft, Caller caller) {
        String peer = SystemDraft.peer(draft.slug()).orElseThrow(() -> new InvalidRequestException(
                "'" + draft.slug() + "' is not a remote system's slug peer/slug"));
        requirePeer(peer, caller);
        draft.members().stream().filter(member -> !SystemDraft.peer(member).equals(Optional.of(peer))).findFirst()
                .ifPresent(member -> {
                    throw new InvalidRequestException("remote system " + draft.slug() + " can list only systems of "
                            + peer + " as members, not " + member);
                });
        if (draft.selector().isPresent()) {
            throw new InvalidRequestException("remote system " + draft.slug() + " cannot have a selector");
        }
        return change(at -> {
            Optional<Node> existing = graph.find(id);
            if (existing.isEmpty()) {
                return graph.planCreate(id, draft, at);
            }
            Node node = existing.get();
            if (!SystemDraft.peer(node.slug()).equals(Optional.of(peer))) {
                throw new ConflictException("system id " + id + " is " + node.slug() + ", not a system of " + peer);
            }
            return node.draft.equals(draft) ? null : graph.planUpdate(node, draft, at);
        }, draft.slug(), caller, "system.put-remote");
    }

    @Override
    public ManagedSystem update(String slug, SystemDraft draft, Caller caller) {
        requireLocal(slug);
        requireLocalSlug(draft.slug());
        return change(at -> {
            Node node = graph.get(slug);
            ManagedSystem current = node.snapshot();
            caller.require(SYSTEMS_WRITE, slug);
            draft.members().stream().filter(member -> !current.members().contains(member))
                    .forEach(member -> caller.require(SYSTEMS_WRITE, member));
            if (!draft.selector().equals(current.selector())) {
                caller.require(SYSTEMS_WRITE);
            }
            return graph.planUpdate(node, draft, at);
        }, null, caller, "system.update");
    }

    @Override
    public ManagedSystem addMember(String aggregate, String member, Caller caller) {
        requireLocal(aggregate);
        return change(at -> {
            // Rights first: a member that does not exist is refused as one the caller may not see.
            caller.require(SYSTEMS_WRITE, aggregate);
            caller.require(SYSTEMS_WRITE, member);
            Node node = graph.get(aggregate);
            graph.get(member);
            ManagedSystem current = node.snapshot();
            if (current.members().contains(member)) {
                return null;
            }
            List<String> members = new ArrayList<>(current.members());
            members.add(member);
            return graph.planUpdate(node, current.toDraft().members(members).build(), at);
        }, aggregate, caller, "system.member-add");
    }

    @Override
    public ManagedSystem removeMember(String aggregate, String member, Caller caller) {
        requireLocal(aggregate);
        return change(at -> {
            Node node = graph.get(aggregate);
            caller.require(SYSTEMS_WRITE, aggregate);
            // A member the caller may not read is answered for as one that does not exist: else it could tell
            // the slugs of hidden systems, and remove the explicit members a binding without members hides.
            if (!caller.may(SYSTEMS_READ, member)) {
                throw SystemGraph.notFound(member);
            }
            graph.get(member);
            ManagedSystem current = node.snapshot();
            if (!current.members().contains(member)) {
                throw new NotFoundException(Messages.quote(member) + " is not an explicit member of "
                        + Messages.quote(aggregate) + (node.selected.stream().anyMatch(m -> m.slug().equals(member))
                                ? "; it is selected by the selector " + current.selector().orElseThrow() : ""));
            }
            List<String> members = current.members().stream().filter(m -> !m.equals(member)).toList();
            return graph.planUpdate(node, current.toDraft().members(members).build(), at);
        }, aggregate, caller, "system.member-remove");
    }

    @Override
    public ManagedSystem delete(String slug, Caller caller) {
        changeLock.lock();
        try {
            Node node = read(() -> graph.get(slug));
            Optional<String> peer = SystemDraft.peer(slug);
            if (peer.isPresent()) {
                requirePeer(peer.get(), caller);
            } else {
                caller.require(SYSTEMS_WRITE, slug);
            }
            ManagedSystem gone = read(node::snapshot);
            Instant at = now();
            store.delete(node.id, at, new AuditEntry(caller.source(), "system.delete", "system/" + slug,
                    summary(gone.toDraft().build()), null));
            write(changes -> graph.delete(node, at, changes));
            return gone;
        } finally {
            changeLock.unlock();
        }
    }

    /** Refuses changes to a remote system, which only its peer makes, through federation. */
    private static void requireLocal(String slug) {
        SystemDraft.peer(slug).ifPresent(peer -> {
            throw new ForbiddenException("system " + slug + " is a remote system of peer " + peer
                    + ": it changes only on " + peer);
        });
    }

    /** Refuses a slug with a peer's name in it for a local system: only federation makes such systems. */
    private static void requireLocalSlug(String slug) {
        SystemDraft.peer(slug).ifPresent(peer -> {
            throw new InvalidRequestException("slug " + slug + " has the form of a peer's system (peer/slug), which"
                    + " only federation makes; a system of this instance has a slug without '/'");
        });
    }

    /** Requires the caller to be the peer whose remote systems are changed. */
    private static void requirePeer(String peer, Caller caller) {
        Source source = caller.source();
        if (source.kind() != Source.Kind.PEER || !source.name().equals(peer) || !caller.authenticated()) {
            throw new ForbiddenException("only peer " + peer + " changes its remote systems, through federation");
        }
    }

    /** Plans a change; returns {@code null} when there is nothing to change. */
    private interface Planner {
        SystemGraph.Plan plan(Instant at);
    }

    /**
     * Checks, stores and applies one change, and audits it under {@code action}.
     *
     * @param unchanged the slug to return as it is when the planner finds nothing to change
     */
    private ManagedSystem change(Planner planner, String unchanged, Caller caller, String action) {
        changeLock.lock();
        try {
            Instant at = now();
            SystemGraph.Plan plan;
            try {
                plan = read(() -> planner.plan(at));
            } catch (SystemGraph.CycleException cycle) {
                throw new ConflictException("this change would make a cycle: " + cycle(cycle.path(), caller));
            }
            if (plan == null) {
                return get(unchanged);
            }
            StoredSystem stored = new StoredSystem(plan.node().id, plan.draft(), plan.explicitIds(),
                    plan.node().created, at);
            String before = plan.isNew() ? null : summary(read(plan.node()::snapshot).toDraft().build());
            AuditEntry audit = new AuditEntry(caller.source(), action, "system/" + plan.draft().slug(), before,
                    summary(plan.draft()));
            if (plan.isNew()) {
                store.insert(stored, audit);
            } else {
                store.update(stored, audit);
            }
            write(changes -> graph.apply(plan, changes));
            return read(plan.node()::snapshot);
        } finally {
            changeLock.unlock();
        }
    }

    /**
     * Writes a cycle out as the caller may see it, such as {@code a → b → (1 system you may not see) → a}:
     * the changed system at both ends, which the caller named, and in between the systems it may read;
     * each run of others is only counted. A peer sees the remote systems it changes, which are its own:
     * a cycle through one of them passes through nothing else.
     */
    private static String cycle(List<String> path, Caller caller) {
        Source source = caller.source();
        Predicate<String> shown = source.kind() == Source.Kind.PEER
                ? slug -> SystemDraft.peer(slug).equals(Optional.of(source.name()))
                : caller.scope(SYSTEMS_READ)::includes;
        List<String> steps = new ArrayList<>();
        int hidden = 0;
        for (int i = 0; i < path.size(); i++) {
            String slug = path.get(i);
            if (i > 0 && i < path.size() - 1 && !shown.test(slug)) {
                hidden++;
                continue;
            }
            if (hidden > 0) {
                steps.add("(" + hidden + (hidden == 1 ? " system" : " systems") + " you may not see)");
                hidden = 0;
            }
            steps.add(slug);
        }
        return String.join(" → ", steps);
    }

    /** What the audit log keeps of a system: what identifies it and what decides its members. */
    private static String summary(SystemDraft system) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("slug", system.slug());
        summary.put("name", system.name());
        summary.put("kind", system.kind());
        summary.put("labels", system.labels());
        summary.put("members", system.members());
        system.selector().ifPresent(selector -> summary.put("selector", selector.toString()));
        summary.put("owners", system.owners());
        try {
            return JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot summarise system " + system.slug(), e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private <T> T read(Supplier<T> reading) {
        memory.readLock().lock();
        try {
            return reading.get();
        } finally {
            memory.readLock().unlock();
        }
    }

    /**
     * Changes the graph in memory and hands what changed to the notifier before anyone else can
     * change it, so listeners hear of changes in the order they were made.
     */
    private void write(Consumer<Changes> writing) {
        memory.writeLock().lock();
        try {
            Changes changes = new Changes();
            writing.accept(changes);
            announce(changes);
        } finally {
            memory.writeLock().unlock();
        }
    }

    private void announce(Changes changes) {
        if (!changes.systemEvents.isEmpty()) {
            version.incrementAndGet();
        }
        notifier.announce(changes);
    }

    private void tell(SystemEvent event) {
        for (SystemListener listener : systemListeners) {
            try {
                listener.event(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // Such as a NoClassDefFoundError from a listener whose bundle was updated: it silences no other.
                LOG.error("System listener {} failed on {}", listener.getClass().getName(), event.type(), e);
            }
        }
    }

    private void tell(StatusChange change) {
        for (StatusListener listener : statusListeners) {
            try {
                listener.changed(change);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.error("Status listener {} failed", listener.getClass().getName(), e);
            }
        }
    }
}
