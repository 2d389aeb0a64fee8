package io.hanse.kernel.core.internal.system;

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
import io.hanse.kernel.store.StoredSystem;
import io.hanse.kernel.store.SystemStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
 * change leaves both as they were. Listeners are told afterwards, in order, on one thread.
 */
@Component(service = {SystemService.class, SystemAdminService.class, StatusService.class, SystemIndex.class})
public final class SystemManager implements SystemService, SystemAdminService, StatusService, SystemIndex {

    private static final Logger LOG = LoggerFactory.getLogger(SystemManager.class);
    private static final int SUMMARY_MAX = 500;

    private final SystemStore store;
    private final Clock clock;
    private final SystemGraph graph = new SystemGraph();
    /** Serialises changes to the graph's shape, from check to store to apply. */
    private final ReentrantLock changeLock = new ReentrantLock();
    /** Guards the graph in memory; held only while reading it or applying a change, never during I/O. */
    private final ReentrantReadWriteLock memory = new ReentrantReadWriteLock();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "hanse-system-events");
        thread.setDaemon(true);
        return thread;
    });
    private final List<SystemListener> systemListeners = new CopyOnWriteArrayList<>();
    private final List<StatusListener> statusListeners = new CopyOnWriteArrayList<>();
    private final Map<StatusContributor, Sink> contributors = new ConcurrentHashMap<>();

    @Activate
    public SystemManager(@Reference SystemStore store) {
        this(store, Clock.systemUTC());
    }

    SystemManager(SystemStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        List<StoredSystem> stored = store.loadAll();
        graph.load(stored);
        LOG.info("Loaded {} systems", stored.size());
    }

    @Deactivate
    void deactivate() {
        List.copyOf(contributors.keySet()).forEach(this::removeContributor);
        notifier.shutdown();
        try {
            notifier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addContributor(StatusContributor contributor) {
        String name = contributor.name();
        if (contributors.values().stream().anyMatch(sink -> sink.contributor.equals(name))) {
            LOG.error("Ignoring a second status contributor named '{}' ({})", name, contributor.getClass().getName());
            return;
        }
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
        write(changes -> graph.withdraw(sink.contributor, now(), changes));
    }

    /** The sink handed to one contributor; unusable once the contributor is gone. */
    private final class Sink implements StatusSink {

        private final String contributor;
        private volatile boolean stopped;

        Sink(String contributor) {
            this.contributor = contributor;
        }

        @Override
        public void report(String system, Status status, String summary) {
            checkRunning();
            String line = summary == null ? "" : summary.strip();
            String cut = line.length() > SUMMARY_MAX ? line.substring(0, SUMMARY_MAX) : line;
            SystemManager.this.report(contributor, system, status, cut);
        }

        @Override
        public void clear(String system) {
            checkRunning();
            write(changes -> graph.find(system)
                    .ifPresent(node -> graph.report(node, contributor, null, null, now(), changes)));
        }

        private void checkRunning() {
            if (stopped) {
                throw new IllegalStateException("status contributor '" + contributor + "' has been stopped");
            }
        }
    }

    void report(String contributor, String system, Status status, String summary) {
        Objects.requireNonNull(status, "status");
        write(changes -> graph.report(graph.get(system), contributor, status, summary, now(), changes));
    }

    // --- reading ---

    @Override
    public Optional<ManagedSystem> find(String slug) {
        return read(() -> graph.find(slug).map(Node::snapshot));
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
    public ManagedSystem create(SystemDraft draft) {
        return change(at -> graph.planCreate(UUID.randomUUID(), draft, at));
    }

    @Override
    public ManagedSystem update(String slug, SystemDraft draft) {
        return change(at -> graph.planUpdate(graph.get(slug), draft, at));
    }

    @Override
    public ManagedSystem addMember(String aggregate, String member) {
        return change(at -> {
            Node node = graph.get(aggregate);
            graph.get(member);
            ManagedSystem current = node.snapshot();
            if (current.members().contains(member)) {
                return null;
            }
            List<String> members = new ArrayList<>(current.members());
            members.add(member);
            return graph.planUpdate(node, current.toDraft().members(members).build(), at);
        }, aggregate);
    }

    @Override
    public ManagedSystem removeMember(String aggregate, String member) {
        return change(at -> {
            Node node = graph.get(aggregate);
            graph.get(member);
            ManagedSystem current = node.snapshot();
            if (!current.members().contains(member)) {
                throw new NotFoundException("'" + member + "' is not an explicit member of '" + aggregate + "'"
                        + (node.selected.stream().anyMatch(m -> m.slug().equals(member))
                                ? "; it is selected by the selector " + current.selector().orElseThrow() : ""));
            }
            List<String> members = current.members().stream().filter(m -> !m.equals(member)).toList();
            return graph.planUpdate(node, current.toDraft().members(members).build(), at);
        }, aggregate);
    }

    @Override
    public ManagedSystem delete(String slug) {
        changeLock.lock();
        try {
            Node node = read(() -> graph.get(slug));
            ManagedSystem gone = read(node::snapshot);
            Instant at = now();
            store.delete(node.id, at);
            write(changes -> graph.delete(node, at, changes));
            return gone;
        } finally {
            changeLock.unlock();
        }
    }

    /** Plans a change; returns {@code null} when there is nothing to change. */
    private interface Planner {
        SystemGraph.Plan plan(Instant at);
    }

    private ManagedSystem change(Planner planner) {
        return change(planner, null);
    }

    /**
     * Checks, stores and applies one change.
     *
     * @param unchanged the slug to return as it is when the planner finds nothing to change
     */
    private ManagedSystem change(Planner planner, String unchanged) {
        changeLock.lock();
        try {
            Instant at = now();
            SystemGraph.Plan plan = read(() -> planner.plan(at));
            if (plan == null) {
                return get(unchanged);
            }
            StoredSystem stored = new StoredSystem(plan.node().id, plan.draft(), plan.explicitIds(),
                    plan.node().created, at);
            if (plan.isNew()) {
                store.insert(stored);
            } else {
                store.update(stored);
            }
            write(changes -> graph.apply(plan, changes));
            return read(plan.node()::snapshot);
        } finally {
            changeLock.unlock();
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
        if (changes.systemEvents.isEmpty() && changes.statusChanges.isEmpty()) {
            return;
        }
        notifier.execute(() -> {
            for (SystemEvent event : changes.systemEvents) {
                for (SystemListener listener : systemListeners) {
                    try {
                        listener.event(event);
                    } catch (RuntimeException e) {
                        LOG.error("System listener {} failed on {}", listener.getClass().getName(), event.type(), e);
                    }
                }
            }
            for (StatusChange change : changes.statusChanges) {
                for (StatusListener listener : statusListeners) {
                    try {
                        listener.changed(change);
                    } catch (RuntimeException e) {
                        LOG.error("Status listener {} failed", listener.getClass().getName(), e);
                    }
                }
            }
        });
    }
}
