package io.hanse.kernel.federation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.UnavailableException;
import io.hanse.api.status.Cause;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusChange;
import io.hanse.api.status.StatusReport;
import io.hanse.api.status.StatusService;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.store.FailureLog;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.Event;
import io.hanse.kernel.store.EventStore;
import io.hanse.kernel.store.FederationStore;
import io.hanse.kernel.store.OutboxMessage;
import io.hanse.kernel.store.RecordedMembers;
import io.hanse.kernel.store.StoredGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side: puts into each peer's outbox, in order, what it is granted. That is a snapshot
 * of its granted systems whenever they change, then the timeline events that happened here about
 * them and their status changes. One thread does all of it, so sequence numbers follow the order in
 * which things happened here.
 */
final class Delivery {

    /** The systems a peer is granted, with their status: the receiver makes its remote systems match. */
    static final String SNAPSHOT = "snapshot";
    /** A timeline event that happened here about a granted system. */
    static final String EVENT = "event";
    /** A granted system's rolled-up status changed. */
    static final String STATUS = "status";
    /** Stands in for a message about a system that is no longer granted, keeping the sequence whole. */
    static final String WITHDRAWN = "withdrawn";
    /** A plugin here asks the owner of a remote system for an action on it. */
    static final String ASK = "ask";

    /**
     * The most items that wait to be put into outboxes: status changes, plugins' messages and asks,
     * and the word that grants changed or a peer connected. Past it, a plugin's message or ask is
     * refused; anything else is left out, and every peer gets a fresh snapshot instead, which carries
     * what it said (the timeline's events never wait here: they are read from the database).
     */
    static final int WORK_LIMIT = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final int DRAIN = 5_000;
    /**
     * How often the timeline is read anyway, besides whenever {@link #appended} says something was
     * stored here: in case the subscription behind that ended.
     */
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Object APPENDED = new Object();
    private static final int CAUSES = 3;
    private static final Duration CURSOR_EVERY = Duration.ofSeconds(1);
    /** The longest a link waits for its peer's resynchronisation to be put into the outbox. */
    private static final Duration RESUME_WAIT = Duration.ofSeconds(10);

    private final FederationStore store;
    private final SystemService systems;
    private final StatusService status;
    private final EventStore events;
    private final String instance;
    private final Supplier<Collection<Peer>> peers;
    private final Supplier<List<StoredGrant>> grants;
    private final long outboxLimit;
    private final Clock clock;
    private final BlockingQueue<Object> work = new LinkedBlockingQueue<>(WORK_LIMIT);
    /** Whether {@link #APPENDED} waits in {@link #work}, so that it waits there at most once. */
    private final AtomicBoolean rung = new AtomicBoolean();
    /** Whether a change was left out of a full {@link #work}: every peer then gets a fresh snapshot. */
    private final AtomicBoolean leftOut = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;
    /** Only the delivery thread reads it. */
    private Follower follower;
    /** The follower's position as last stored, and when. */
    private long storedPosition = -1;
    private Instant storedAt = Instant.MIN;
    // Only the delivery thread touches these.
    private long systemsVersion = -1;
    private boolean grantsChanged = true;
    /** Says that filling or reading the outboxes fails, as it does every second while the database is away. */
    private final FailureLog failures;
    private final Map<UUID, Set<UUID>> covered = new HashMap<>();
    private final Map<UUID, String> lastSnapshot = new HashMap<>();
    /** The status each peer was last sent of each system, so that it is sent only when it changes. */
    private final Map<UUID, Map<UUID, ObjectNode>> lastStatus = new HashMap<>();
    /** The grants whose expiry coverage was last worked out after; one expiring since means working it out again. */
    private final Set<UUID> expiredApplied = new HashSet<>();
    /** What each peer is covered for, for other threads: replaced whole, never changed. */
    private volatile Map<UUID, Set<UUID>> coverage = Map.of();

    Delivery(FederationStore store, SystemService systems, StatusService status, EventStore events, String instance,
            Supplier<Collection<Peer>> peers, Supplier<List<StoredGrant>> grants, long outboxLimit, Clock clock) {
        this.store = store;
        this.systems = systems;
        this.status = status;
        this.events = events;
        this.instance = instance;
        this.peers = peers;
        this.grants = grants;
        this.outboxLimit = outboxLimit;
        this.clock = clock;
        this.failures = new FailureLog(LOG, "Peers' outboxes are filled", clock);
        this.thread = new Thread(this::run, "hanse-federation-delivery");
        thread.setDaemon(true);
    }

    /**
     * Starts where the timeline was last put into outboxes, so that events stored while federation
     * was not running go out too; the first time ever, with what is stored from now on.
     */
    void start() {
        follower = new Follower(events, instance, store.followed().orElseGet(events::highestSequence), clock);
        thread.start();
    }

    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Something happened here: the timeline is read now rather than at the next poll. */
    void appended() {
        // A full queue is read at once anyway, and the timeline with it.
        if (rung.compareAndSet(false, true)) {
            work.offer(APPENDED);
        }
    }

    void statusChanged(StatusChange change) {
        note(change);
    }

    /** A plugin's message about one of this instance's systems, for every peer granted it. */
    record Outgoing(String id, String type, ManagedSystem system, ObjectNode body) {
    }

    /** @throws UnavailableException if {@link #WORK_LIMIT} items wait already */
    void send(Outgoing message) {
        take(message);
    }

    /** A plugin's request for an action on a system of {@code owner}, called {@code system} there. */
    record Request(String id, String action, Peer owner, String system, ObjectNode body) {
    }

    /** @throws UnavailableException if {@link #WORK_LIMIT} items wait already */
    void ask(Request request) {
        take(request);
    }

    /** Grants or peers changed: snapshots are worked out again. */
    void grantsChanged() {
        note(Boolean.TRUE);
    }

    /** The peer (re)connected: it gets a fresh snapshot, with every granted system's status. */
    void resend(Peer peer) {
        note(peer);
    }

    /** A link waits for its peer to be sent a resynchronisation, as {@link #resume} found it needs. */
    private record Resume(Peer peer, long theyHave, CompletableFuture<Void> done) {
    }

    /**
     * Returns once a peer that says it has every message up to {@code theyHave} can be sent what
     * follows in its outbox: at once, unless it says it has more than was ever put there, or less than
     * it acknowledged while no resynchronisation waits there for it. It or this instance was then
     * restored from a backup; it gets a resynchronisation first, numbered after what it has. Less
     * than it acknowledged is taken for a restore only when said at two connections in a row: the
     * first time the link is refused, as it may replace a link that stored more meanwhile.
     *
     * @throws UnavailableException if the link cannot go on, or no resynchronisation is stored within
     *     {@link #RESUME_WAIT}
     */
    void resume(Peer peer, long theyHave) {
        if (theyHave >= peer.acknowledged.get() && theyHave <= peer.enqueued.get()) {
            peer.behind = -1;
            return;
        }
        Resume resume = new Resume(peer, theyHave, new CompletableFuture<>());
        take(resume);
        try {
            resume.done().get(RESUME_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while " + peer.name() + " was resynchronised");
        } catch (ExecutionException e) {
            throw new UnavailableException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new UnavailableException(peer.name() + " could not be resynchronised within "
                    + RESUME_WAIT.toSeconds() + " s");
        }
    }

    /** Queues a plugin's message or ask, which nothing else carries: refused, not left out, when full. */
    private void take(Object item) {
        if (!work.offer(item)) {
            throw new UnavailableException(WORK_LIMIT + " messages wait to be put into peers' outboxes; try again"
                    + " shortly", Duration.ofSeconds(1));
        }
    }

    /** Queues a change that a fresh snapshot covers: left out when full, and every peer gets one. */
    private void note(Object change) {
        if (!work.offer(change) && leftOut.compareAndSet(false, true)) {
            LOG.warn("{} changes wait to be put into peers' outboxes; more are left out, and every peer gets a fresh"
                    + " snapshot instead", WORK_LIMIT);
        }
    }

    /**
     * Returns an outbox message as it should travel now, so that nothing about a system leaves after
     * its revocation: one about a system the peer is no longer granted becomes {@link #WITHDRAWN}, and
     * a snapshot leaves out the systems it was put into the outbox with that the peer is no longer
     * granted.
     */
    Link.Outgoing current(Peer peer, OutboxMessage row) {
        if (row.system() != null && !covers(peer.id(), row.system())) {
            return withdrawn();
        }
        if (SNAPSHOT.equals(row.type())) {
            return new Link.Outgoing(SNAPSHOT, granted(peer.id(), row.body()));
        }
        return new Link.Outgoing(row.type(), row.body());
    }

    /**
     * Returns a snapshot with only the systems the peer is granted now, each listing only those among
     * its members; as it was if it lists no others. One that waited in the outbox may have been made
     * while a grant since revoked was in force; the fresh one that follows it says what the peer now
     * sees of the systems left, such as their status without those taken away.
     */
    private String granted(UUID peer, String body) {
        ObjectNode snapshot = CanonicalJson.parseObject(body, Integer.MAX_VALUE);
        List<ObjectNode> listed = new ArrayList<>();
        snapshot.path("systems").forEach(entry -> listed.add((ObjectNode) entry));
        List<ObjectNode> kept = listed.stream()
                .filter(entry -> covers(peer, UUID.fromString(entry.path("id").asText()))).toList();
        if (kept.size() == listed.size()) {
            return body;
        }
        Set<String> slugs = kept.stream().map(entry -> entry.path("slug").asText()).collect(Collectors.toSet());
        ArrayNode list = snapshot.putArray("systems");
        for (ObjectNode entry : kept) {
            List<JsonNode> members = new ArrayList<>();
            entry.path("members").forEach(members::add);
            ArrayNode left = entry.putArray("members");
            members.stream().filter(member -> slugs.contains(member.asText())).forEach(left::add);
            list.add(entry);
        }
        return CanonicalJson.text(snapshot);
    }

    /** Stands in for a message that does not travel. */
    static Link.Outgoing withdrawn() {
        return new Link.Outgoing(WITHDRAWN, "{}");
    }

    /** Returns whether a system is granted to a peer now. */
    boolean covers(UUID peer, UUID system) {
        return coverage.getOrDefault(peer, Set.of()).contains(system);
    }

    private void run() {
        List<Object> batch = new ArrayList<>();
        while (running) {
            try {
                if (batch.isEmpty()) {
                    Object first = work.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                    }
                    work.drainTo(batch, DRAIN);
                    // Rung again from here on, for what is stored after this read.
                    rung.set(false);
                    batch.removeIf(item -> item == APPENDED);
                    if (leftOut.getAndSet(false)) {
                        resnapshot();
                    }
                    // What happened here first, then what was said about it.
                    batch.addAll(0, follower.next(DRAIN));
                }
                deliver(batch);
                failures.worked();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failures.failed("Could not fill peers' outboxes (" + batch.size() + " items); trying again every"
                        + " second", e);
                retry();
                continue;
            } catch (Error e) {
                // Out of memory, a stack overflow, a class gone with a bundle refresh: this thread is the
                // only one that fills outboxes, so it goes on, and says so each time.
                LOG.error("Could not fill peers' outboxes ({} items); trying again", batch.size(), e);
                retry();
                continue;
            }
            batch.clear();
        }
    }

    /**
     * After a failed batch: the outbox is in the database, so the batch is worked again, nothing is
     * skipped, and snapshots and statuses are sent again rather than thought sent.
     */
    private void retry() {
        resnapshot();
        sleep();
        readEnqueued();
    }

    /** Every peer gets a fresh snapshot, and each status again when it changes. */
    private void resnapshot() {
        lastSnapshot.clear();
        lastStatus.clear();
        grantsChanged = true;
    }

    /**
     * Takes each peer's highest enqueued number from its outbox again after a failed batch: a commit
     * may have gone through though its answer was lost, and numbering on from memory would then hit
     * the numbers it stored, for ever. The batch is then put in again whole; peers take its events
     * once, by id.
     */
    private void readEnqueued() {
        try {
            Map<UUID, Long> stored = new HashMap<>();
            store.peers().forEach(peer -> stored.put(peer.id(), peer.enqueued()));
            peers.get().forEach(peer -> peer.enqueued.set(stored.getOrDefault(peer.id(), peer.enqueued.get())));
        } catch (RuntimeException e) {
            failures.failed("Could not read peers' outboxes; trying again every second", e);
        }
    }

    private void deliver(List<Object> batch) {
        Map<UUID, Peer> active = new HashMap<>();
        peers.get().forEach(peer -> active.put(peer.id(), peer));
        Instant now = clock.instant();
        if (batch.remove(Boolean.TRUE)) {
            grantsChanged = true;
        }
        for (Object item : batch) {
            if (item instanceof Peer peer) {
                lastSnapshot.remove(peer.id());
                grantsChanged = true;
            }
        }
        List<Draft> drafts = new ArrayList<>();
        refreshCoverage(active, now, drafts);
        for (Object item : batch) {
            if (item instanceof Event event) {
                List<Peer> to = active.values().stream()
                        .filter(peer -> covered.getOrDefault(peer.id(), Set.of()).contains(event.systemId())).toList();
                String body = to.isEmpty() ? null : shareable(event);
                if (body != null) {
                    to.forEach(peer -> drafts.add(new Draft(peer, EVENT, event.systemId(),
                            seenBy(peer, event, body))));
                }
            } else if (item instanceof Outgoing message) {
                List<Peer> to = active.values().stream()
                        .filter(peer -> covered.getOrDefault(peer.id(), Set.of()).contains(message.system().id()))
                        .toList();
                if (!to.isEmpty()) {
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.put("id", message.id());
                    body.put("system", message.system().slug());
                    body.put("systemId", message.system().id().toString());
                    body.set("body", message.body());
                    String text = CanonicalJson.text(body);
                    to.forEach(peer -> drafts.add(new Draft(peer, message.type(), message.system().id(), text)));
                }
            } else if (item instanceof Request request && active.containsKey(request.owner().id())) {
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.put("id", request.id());
                body.put("action", request.action());
                body.put("system", request.system());
                body.set("body", request.body());
                drafts.add(new Draft(request.owner(), ASK, null, CanonicalJson.text(body)));
            } else if (item instanceof Resume resume) {
                resume(resume, active.containsKey(resume.peer().id()));
            } else if (item instanceof StatusChange change && !active.isEmpty()) {
                Set<ManagedSystem> affected = selfAndAbove(change.system());
                for (Peer peer : active.values()) {
                    Set<UUID> reach = covered.getOrDefault(peer.id(), Set.of());
                    for (ManagedSystem system : affected) {
                        if (reach.contains(system.id())) {
                            ObjectNode body = status(system, reach);
                            if (!body.equals(lastStatus.computeIfAbsent(peer.id(), id -> new HashMap<>())
                                    .put(system.id(), body))) {
                                drafts.add(new Draft(peer, STATUS, system.id(), CanonicalJson.text(body)));
                            }
                        }
                    }
                }
            }
        }
        enqueue(drafts, now);
    }

    /**
     * The system whose status changed and every aggregate above it: what a peer sees of each may
     * have changed, as it sees members it is not granted only through their aggregates.
     */
    private Set<ManagedSystem> selfAndAbove(String slug) {
        Set<ManagedSystem> found = new HashSet<>();
        List<String> next = new ArrayList<>(List.of(slug));
        while (!next.isEmpty()) {
            String current = next.remove(next.size() - 1);
            Optional<ManagedSystem> system = systems.find(current);
            if (system.isPresent() && found.add(system.get())) {
                systems.aggregates(current).forEach(aggregate -> next.add(aggregate.slug()));
            }
        }
        return found;
    }

    /** Works out again what each peer is granted when grants or systems changed, and snapshots what changed. */
    private void refreshCoverage(Map<UUID, Peer> active, Instant now, List<Draft> drafts) {
        long version = systems.version();
        List<UUID> expired = grants.get().stream().filter(grant -> grant.revoked() == null && grant.expires() != null
                && !grant.expires().isAfter(now)).map(StoredGrant::id).toList();
        boolean expiring = !expiredApplied.containsAll(expired);
        if (!grantsChanged && version == systemsVersion && !expiring) {
            return;
        }
        expiredApplied.clear();
        expiredApplied.addAll(expired);
        grantsChanged = false;
        systemsVersion = version;
        covered.clear();
        for (StoredGrant grant : grants.get()) {
            if (!grant.inForce(now) || !active.containsKey(grant.peer())) {
                continue;
            }
            systems.find(grant.system()).ifPresent(system -> {
                Set<UUID> reach = covered.computeIfAbsent(grant.peer(), peer -> new HashSet<>());
                // A peer gets only this instance's own systems, never what other peers granted it.
                if (!SystemRecords.remote(system.slug())) {
                    reach.add(system.id());
                }
                if (grant.members()) {
                    systems.transitiveMembers(system.slug()).stream().filter(slug -> !SystemRecords.remote(slug))
                            .map(systems::find).flatMap(Optional::stream).map(ManagedSystem::id).forEach(reach::add);
                }
            });
        }
        Map<UUID, Set<UUID>> published = new HashMap<>();
        covered.forEach((peer, reach) -> published.put(peer, Set.copyOf(reach)));
        coverage = Map.copyOf(published);
        for (Peer peer : active.values()) {
            ObjectNode snapshot = snapshot(covered.getOrDefault(peer.id(), Set.of()), false);
            String text = CanonicalJson.text(snapshot);
            if (!text.equals(lastSnapshot.get(peer.id()))) {
                lastSnapshot.put(peer.id(), text);
                drafts.add(new Draft(peer, SNAPSHOT, null, text));
            }
        }
        lastSnapshot.keySet().retainAll(active.keySet());
        lastStatus.keySet().retainAll(active.keySet());
    }

    /**
     * Puts the drafts into their peers' outboxes, and moves the stored cursor with them; with nothing
     * to put, at most every {@link #CURSOR_EVERY}, since moving it is all that would be written.
     */
    private void enqueue(List<Draft> drafts, Instant now) {
        long position = follower.position();
        if (drafts.isEmpty() && (position == storedPosition || now.isBefore(storedAt.plus(CURSOR_EVERY)))) {
            return;
        }
        Map<Peer, Long> next = new HashMap<>();
        List<OutboxMessage> messages = new ArrayList<>(drafts.size());
        for (Draft draft : drafts) {
            Peer peer = draft.peer();
            if (peer.lag() + next.getOrDefault(peer, 0L) >= outboxLimit) {
                overflow(peer, messages, next);
                continue;
            }
            long seq = peer.enqueued.get() + next.merge(peer, 1L, Long::sum);
            messages.add(new OutboxMessage(peer.id(), seq, draft.type(), draft.system(), draft.body()));
        }
        store.enqueue(messages, position);
        storedPosition = position;
        storedAt = now;
        Map<UUID, List<OutboxMessage>> byPeer = messages.stream()
                .collect(Collectors.groupingBy(OutboxMessage::peer));
        next.forEach((peer, count) -> {
            peer.keep(byPeer.get(peer.id()));
            peer.enqueued.addAndGet(count);
            Link link = peer.link();
            if (link != null) {
                link.wake();
            }
        });
    }

    /**
     * The peer fell behind past what its outbox holds: its outbox is dropped and it is sent a
     * snapshot marked as a resynchronisation, after which it is live again.
     */
    private void overflow(Peer peer, List<OutboxMessage> messages, Map<Peer, Long> next) {
        // What this batch holds for it is not stored yet: the snapshot covers it.
        messages.removeIf(message -> message.peer().equals(peer.id()));
        resynchronise(peer, peer.enqueued.get());
        next.remove(peer);
        LOG.warn("Peer {} fell more than {} messages behind; it gets a resynchronisation", peer.name(), outboxLimit);
    }

    /**
     * Works out, where the outbox is filled, whether a link can go on from what its peer says it has,
     * after a resynchronisation if need be; worked out here again, as another link may have been
     * resumed first.
     */
    private void resume(Resume resume, boolean linked) {
        Peer peer = resume.peer();
        long theyHave = resume.theyHave();
        if (linked && theyHave > peer.enqueued.get()) {
            LOG.warn("Peer {} has received up to {} from here, more than was ever put into its outbox ({}): this"
                    + " instance was restored from a backup; it gets a resynchronisation", peer.name(), theyHave,
                    peer.enqueued.get());
            resynchronise(peer, theyHave);
        } else if (linked && theyHave < peer.acknowledged.get() && !resyncNext(peer, theyHave)) {
            long before = peer.behind;
            peer.behind = theyHave;
            if (before != theyHave) {
                resume.done().completeExceptionally(new IllegalStateException(peer.name() + " says it has up to "
                        + theyHave + ", less than it acknowledged (" + peer.acknowledged.get() + "); connect again"));
                return;
            }
            LOG.warn("Peer {} has received up to {} from here, less than it acknowledged ({}), at two connections in a"
                    + " row: it was restored from a backup; it gets a resynchronisation", peer.name(), theyHave,
                    peer.acknowledged.get());
            resynchronise(peer, theyHave);
        }
        peer.behind = -1;
        resume.done().complete(null);
    }

    /** Returns whether a resynchronisation, which may skip what the outbox no longer holds, comes next. */
    private boolean resyncNext(Peer peer, long theyHave) {
        return store.outbox(peer.id(), theyHave, 1).stream().anyMatch(next ->
                resynchronises(next.type(), CanonicalJson.parseObject(next.body(), Integer.MAX_VALUE)));
    }

    /** Returns whether a message is a snapshot marked as a resynchronisation. */
    static boolean resynchronises(String type, JsonNode body) {
        return SNAPSHOT.equals(type) && body.path("resync").asBoolean(false);
    }

    /**
     * Drops the peer's outbox and puts a snapshot marked as a resynchronisation there instead,
     * numbered after {@code after} and what was put there before.
     */
    private void resynchronise(Peer peer, long after) {
        long last = Math.max(after, peer.enqueued.get());
        ObjectNode snapshot = snapshot(covered.getOrDefault(peer.id(), Set.of()), true);
        store.overflow(peer.id(), new OutboxMessage(peer.id(), last + 1, SNAPSHOT, null,
                CanonicalJson.text(snapshot)));
        peer.forgetKept();
        peer.enqueued.set(last + 1);
        peer.acknowledged.set(last);
        peer.resyncs.incrementAndGet();
    }

    private ObjectNode snapshot(Set<UUID> reach, boolean resync) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("resync", resync);
        ArrayNode list = body.putArray("systems");
        Set<String> slugs = new HashSet<>();
        List<ManagedSystem> granted = reach.stream().map(systems::find).flatMap(Optional::stream)
                .sorted((a, b) -> a.slug().compareTo(b.slug())).toList();
        granted.forEach(system -> slugs.add(system.slug()));
        for (ManagedSystem system : granted) {
            ObjectNode entry = list.addObject();
            entry.put("id", system.id().toString());
            entry.put("slug", system.slug());
            entry.put("name", system.name());
            entry.put("kind", system.kind());
            ObjectNode labels = entry.putObject("labels");
            system.labels().forEach(labels::put);
            entry.put("description", system.description());
            ArrayNode owners = entry.putArray("owners");
            system.owners().forEach(owners::add);
            ArrayNode members = entry.putArray("members");
            // Only granted members travel; the selector's choice travels as explicit members.
            systems.members(system.slug()).stream().map(ManagedSystem::slug).filter(slugs::contains)
                    .forEach(members::add);
            ObjectNode state = status(system, reach);
            entry.set("status", state.get("status"));
            entry.set("summary", state.get("summary"));
        }
        return body;
    }

    /**
     * What a peer sees of a system's status: its own reports, and those of its members the peer is
     * not granted, which it cannot roll up itself. Granted members report for themselves, so that the
     * peer's roll-up explains the path down to them. Another instance's systems among the members
     * count towards the status, which is this instance's, but are not explained: a grant is not
     * passed on.
     */
    private ObjectNode status(ManagedSystem system, Set<UUID> reach) {
        SystemStatus own = status.status(system.slug(), CAUSES);
        Status seen = own.own();
        List<Explained> parts = new ArrayList<>();
        own.reports().forEach(report -> parts.add(new Explained(report.status(), report(report))));
        for (ManagedSystem member : systems.members(system.slug())) {
            if (!reach.contains(member.id())) {
                SystemStatus hidden = status.status(member.slug(), CAUSES);
                seen = seen.worst(hidden.rolledUp());
                parts.add(new Explained(hidden.rolledUp(), explain(hidden)));
            }
        }
        Status worst = seen;
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("system", system.slug());
        body.put("systemId", system.id().toString());
        body.put("status", seen.label());
        body.put("summary", parts.stream().filter(part -> part.status() == worst && !part.text().isEmpty())
                .map(Explained::text).collect(Collectors.joining(", ")));
        return body;
    }

    private record Explained(Status status, String text) {
    }

    /**
     * Says why a rolled-up status is what it is, such as {@code db-1 ← disk: /var 97% full}, by its
     * causes on this instance's own systems. Those on another instance's are left out, and then the
     * causes not listed are not counted either, as they may be on such systems too.
     */
    private String explain(SystemStatus now) {
        List<Cause> here = now.causes().stream().filter(cause -> cause.path().stream().noneMatch(SystemRecords::remote))
                .toList();
        boolean elsewhere = SystemRecords.remote(now.system())
                || systems.transitiveMembers(now.system()).stream().anyMatch(SystemRecords::remote);
        List<String> parts = new ArrayList<>();
        for (Cause cause : here) {
            String reports = cause.reports().stream().filter(report -> report.status() == cause.status())
                    .map(Delivery::report).collect(Collectors.joining("; "));
            parts.add(String.join(" ← ", cause.path()) + (reports.isEmpty() ? "" : ": " + reports));
        }
        if (!elsewhere && now.causeCount() > here.size()) {
            parts.add((now.causeCount() - here.size()) + " more");
        }
        return String.join(", ", parts);
    }

    private static String report(StatusReport report) {
        return report.summary().isEmpty() ? report.contributor() : report.contributor() + " " + report.summary();
    }

    /**
     * Returns an event's canonical JSON as peers get it; {@code null}, and logged, if its body cannot
     * be written so (the timeline takes some that cannot: a member name twice, deep nesting, a lone
     * surrogate), so that it holds back no other event: sent again, it would fail again, for ever.
     */
    private static String shareable(Event event) {
        try {
            return CanonicalJson.text(event(event));
        } catch (InvalidRequestException | IllegalArgumentException e) {
            LOG.error("Event {} ({} about {}) is not shared with peers: its body cannot be written as canonical"
                    + " JSON: {}", event.id(), event.type(), event.system(), e.getMessage());
            return null;
        }
    }

    /**
     * Returns an event's canonical JSON as a peer is sent it: a kernel record names only the members
     * the peer is granted among those that joined or left ({@link SystemRecords}).
     */
    private String seenBy(Peer peer, Event event, String shareable) {
        if (!RecordedMembers.mayName(event)) {
            return shareable;
        }
        Set<UUID> reach = covered.getOrDefault(peer.id(), Set.of());
        ObjectNode seen = CanonicalJson.parseObject(shareable, Integer.MAX_VALUE);
        boolean hidden = seen.get("body") instanceof ObjectNode body && SystemRecords.hideMembers(body,
                slug -> systems.find(slug).map(ManagedSystem::id).filter(reach::contains).isPresent());
        return hidden ? CanonicalJson.text(seen) : shareable;
    }

    private static ObjectNode event(Event event) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", event.id());
        body.put("type", event.type());
        body.put("system", event.system());
        body.put("systemId", event.systemId().toString());
        body.put("time", event.time().toString());
        ObjectNode source = body.putObject("source");
        source.put("kind", event.source().kind().name().toLowerCase(java.util.Locale.ROOT));
        source.put("name", event.source().name());
        body.set("body", CanonicalJson.parseObject(event.body(), Integer.MAX_VALUE));
        return body;
    }

    private void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A message for a peer's outbox, its body as canonical JSON (written once for all the peers that
     * get it); {@code system} is the id of the system it is about, if any.
     */
    private record Draft(Peer peer, String type, UUID system, String body) {
        Draft {
            Objects.requireNonNull(body, "body");
        }
    }
}
