package io.hanse.kernel.core.internal.timeline;

import static io.hanse.kernel.core.internal.Threads.daemon;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooLargeException;
import io.hanse.api.config.Settings;
import io.hanse.api.instance.InstanceService;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusChange;
import io.hanse.api.status.StatusListener;
import io.hanse.api.store.DatabaseFailures;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemListener;
import io.hanse.api.timeline.Appended;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.EventPage;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.Subscriber;
import io.hanse.api.timeline.Subscription;
import io.hanse.api.timeline.Timeline;
import io.hanse.kernel.core.internal.system.SystemIndex;
import io.hanse.kernel.store.EventFilter;
import io.hanse.kernel.store.EventStore;
import io.hanse.kernel.store.RecordedMembers;
import io.hanse.kernel.store.StoredEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of the timeline. It also records, as the kernel, every change to systems
 * and every change of a system's own status, batched on a thread of its own, which stores a batch the
 * store refused again until it takes it. Retention runs on another thread, so that a long purge
 * does not hold up the records.
 * <p>
 * A change of its configuration applies in place: restarting would remove every REST resource that
 * depends on the timeline, and end every live stream, for as long as that takes.
 */
@Component(service = {Timeline.class, SystemListener.class, StatusListener.class},
        configurationPid = TimelineConfig.PID)
@Designate(ocd = TimelineConfig.class)
public final class TimelineManager implements Timeline, SystemListener, StatusListener {

    static final int MAX_BATCH = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(TimelineManager.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int RECORD_QUEUE = 100_000;
    private static final int RETENTION_BATCH = 10_000;
    private static final String STATUS_CHANGED = "status.changed";
    /** How many of a system's latest status records are looked through for this instance's own, after a start. */
    private static final int STATUS_LOOK_BACK = 20;
    /** How long recording waits after the store refused records the first time; each refusal more, twice that. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    /** The longest recording waits before it tries refused records again. */
    static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final EventStore store;
    private final SystemIndex systems;
    private final InstanceService instance;
    private final Clock clock;
    /** How the configuration was read last, for a change to fall back to. */
    private volatile Settings<TimelineConfig> settings;
    private volatile int maxBodyBytes;
    private volatile Retention retention;
    private final List<LiveSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newCachedThreadPool(daemon("hanse-timeline-delivery"));
    private final ScheduledExecutorService recording =
            Executors.newSingleThreadScheduledExecutor(daemon("hanse-timeline-records"));
    private final ScheduledExecutorService purging =
            Executors.newSingleThreadScheduledExecutor(daemon("hanse-timeline-retention"));
    private final BlockingQueue<Event> records = new ArrayBlockingQueue<>(RECORD_QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    /** The own status each system was last recorded in since this instance started, by id. */
    private final Map<UUID, Status> recordedStatus = new ConcurrentHashMap<>();
    /**
     * The records being stored, kept when the store fails to take them, to be stored first; only
     * recording touches it, stopping included.
     */
    private final List<Event> batch = new ArrayList<>();
    /** How long recording waits after the last refusal, and until when; zero and past when none. */
    private Duration retryAfter = Duration.ZERO;
    private Instant retryAt = Instant.MIN;

    @Activate
    public TimelineManager(@Reference EventStore store, @Reference SystemIndex systems,
            @Reference InstanceService instance, TimelineConfig config) {
        this(store, systems, instance, Clock.systemUTC(), config);
        start(Duration.ofMinutes(1));
    }

    TimelineManager(EventStore store, SystemIndex systems, InstanceService instance, Clock clock,
            TimelineConfig config) {
        this.store = store;
        this.systems = systems;
        this.instance = instance;
        this.clock = clock;
        configure(Settings.of(TimelineConfig.PID, TimelineConfig.class, config));
    }

    /** Takes a changed configuration in place; the next append and the next retention run follow it. */
    @Modified
    void modified(TimelineConfig config) {
        configure(settings.change(config));
    }

    private void configure(Settings<TimelineConfig> read) {
        // The smallest body is {}.
        maxBodyBytes = read.whole("maxBodyBytes", 2, Integer.MAX_VALUE);
        retention = read.parsed("retention", Retention::parse);
        settings = read;
    }

    /** Starts recording, and retention every hour from {@code firstRetention} on. */
    void start(Duration firstRetention) {
        recording.scheduleWithFixedDelay(this::recordPending, 100, 100, TimeUnit.MILLISECONDS);
        purging.scheduleWithFixedDelay(this::applyRetention, firstRetention.toMillis(), TimeUnit.HOURS.toMillis(1),
                TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        Settings.forget(TimelineConfig.PID);
        // A purge under way stops after the chunk it deletes.
        purging.shutdownNow();
        try {
            // A last try, however recently the store refused, on the recording thread, which alone touches the batch.
            recording.execute(this::recordLast);
            recording.shutdown();
            if (!recording.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The timeline stops while the store still takes the kernel's records; those not stored"
                        + " by now are lost");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            subscriptions.forEach(subscription -> subscription.end("the timeline stopped"));
            delivery.shutdown();
        }
    }

    /** Stores what waits whenever the store last refused, and says how many records that leaves unstored. */
    private void recordLast() {
        retryAt = Instant.MIN;
        recordPending();
        int lost = batch.size() + records.size();
        if (lost > 0) {
            LOG.warn("The timeline stops with {} of the kernel's records not stored; they are lost", lost);
        }
    }

    // --- appending ---

    @Override
    public Appended append(EventDraft draft) {
        return append(List.of(draft)).get(0);
    }

    @Override
    public List<Appended> append(List<EventDraft> drafts) {
        if (drafts.size() > MAX_BATCH) {
            throw new InvalidRequestException("at most " + MAX_BATCH + " events at once, not " + drafts.size());
        }
        Instant now = now();
        String here = instance.instance().name();
        Map<String, Event> events = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(drafts.size());
        for (EventDraft draft : drafts) {
            // A peer passes on only what happened on it: it is the origin.
            Event event = toEvent(draft, now, draft.source().kind() == Source.Kind.PEER ? draft.source().name() : here);
            events.putIfAbsent(event.id(), event);
            ids.add(event.id());
        }
        Set<String> created = store.insert(List.copyOf(events.values()));
        events.values().stream().filter(event -> created.contains(event.id())).forEach(this::publish);
        List<String> duplicates = ids.stream().filter(id -> !created.contains(id)).distinct().toList();
        Map<String, Event> earlier = store.find(duplicates);
        List<Appended> outcomes = new ArrayList<>(ids.size());
        Set<String> reported = new HashSet<>();
        for (String id : ids) {
            boolean isNew = created.contains(id) && reported.add(id);
            outcomes.add(new Appended(isNew ? events.get(id) : earlier.getOrDefault(id, events.get(id)), isNew));
        }
        return outcomes;
    }

    private Event toEvent(EventDraft draft, Instant now, String origin) {
        UUID system = systems.id(draft.system())
                .orElseThrow(() -> new NotFoundException("no system " + Messages.quote(draft.system())));
        checkBody(draft.body());
        return new Event(draft.id() == null ? UUID.randomUUID().toString() : draft.id(), draft.type(), system,
                draft.system(), draft.time() == null ? now : draft.time().truncatedTo(ChronoUnit.MICROS), now,
                draft.source(), origin, draft.body());
    }

    private void checkBody(String body) {
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        int limit = maxBodyBytes;
        if (bytes > limit) {
            throw new TooLargeException("event body is " + bytes + " bytes; the limit is " + limit);
        }
        try (JsonParser parser = MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRequestException("event body must be a JSON object");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new InvalidRequestException("event body has text after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("event body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read an event body from memory", e);
        }
    }

    // --- reading ---

    @Override
    public EventPage query(EventQuery query) {
        EventFilter.Position after = query.cursor() == null ? null : Cursor.parse(query.cursor());
        Set<UUID> systems = systemsOf(query);
        if (systems != null && systems.isEmpty()) {
            return new EventPage(List.of(), Optional.empty());
        }
        List<StoredEvent> found = store.query(new EventFilter(systems, query.types(), query.from(),
                query.until(), after, query.limit() + 1));
        boolean more = found.size() > query.limit();
        List<StoredEvent> page = more ? found.subList(0, query.limit()) : found;
        return new EventPage(page.stream().map(StoredEvent::event).toList(),
                more ? Optional.of(Cursor.of(page.get(page.size() - 1))) : Optional.empty());
    }

    /** The systems a query reads, {@code null} for all: what it asks for, within what it may see. */
    private Set<UUID> systemsOf(EventQuery query) {
        Set<UUID> within = within(query);
        if (query.system() == null) {
            return within;
        }
        UUID system = systemId(query.system(), within);
        Set<UUID> asked = query.includeMembers() ? systems.selfAndBelow(system) : Set.of(system);
        if (within == null) {
            return asked;
        }
        Set<UUID> both = new HashSet<>(asked);
        both.retainAll(within);
        return both;
    }

    /** The ids of the systems a query is bounded to; slugs that name no system bound nothing. */
    private Set<UUID> within(EventQuery query) {
        if (query.within() == null) {
            return null;
        }
        Set<UUID> ids = new HashSet<>();
        for (String slug : query.within()) {
            systems.id(slug).ifPresent(ids::add);
        }
        return ids;
    }

    /**
     * The id of the system a query names. One outside the query's bound is as unknown, so that
     * the answer does not tell a system the caller may not see from one that does not exist, nor
     * which of its members it may see.
     */
    private UUID systemId(String slug, Set<UUID> within) {
        return systems.id(slug).filter(id -> within == null || within.contains(id))
                .orElseThrow(() -> new NotFoundException("no system " + Messages.quote(slug)));
    }

    @Override
    public Subscription subscribe(EventQuery filter, Subscriber subscriber) {
        Set<UUID> within = within(filter);
        UUID system = filter.system() == null ? null : systemId(filter.system(), within);
        LiveSubscription subscription = new LiveSubscription(filter, system, within, subscriber, delivery,
                subscriptions::remove);
        subscriptions.add(subscription);
        return subscription;
    }

    private void publish(Event event) {
        for (LiveSubscription subscription : subscriptions) {
            if (matches(subscription, event)) {
                subscription.offer(event);
            }
        }
    }

    private boolean matches(LiveSubscription subscription, Event event) {
        EventQuery filter = subscription.filter;
        if (!filter.matchesType(event.type())
                || filter.from() != null && event.time().isBefore(filter.from())
                || filter.until() != null && !event.time().isBefore(filter.until())
                || subscription.within != null && !subscription.within.contains(event.systemId())) {
            return false;
        }
        if (subscription.system == null || subscription.system.equals(event.systemId())) {
            return true;
        }
        return filter.includeMembers() && systems.isWithin(event.systemId(), subscription.system);
    }

    // --- what the kernel records ---

    @Override
    public void event(SystemEvent change) {
        ManagedSystem system = change.subject();
        if (change.type() == SystemEvent.Type.REMOVED) {
            recordedStatus.remove(system.id());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        String type = switch (change.type()) {
            case ADDED -> "system.created";
            case UPDATED -> "system.updated";
            case REMOVED -> "system.deleted";
            case MEMBERS_CHANGED -> "system.members-changed";
        };
        body.put("name", system.name());
        body.put("kind", system.kind());
        if (!change.added().isEmpty()) {
            body.put(RecordedMembers.ADDED, change.added());
        }
        if (!change.removed().isEmpty()) {
            body.put(RecordedMembers.REMOVED, change.removed());
        }
        change.previous().filter(previous -> !previous.slug().equals(system.slug()))
                .ifPresent(previous -> body.put("previousSlug", previous.slug()));
        record(type, system.id(), system.slug(), body);
    }

    @Override
    public void changed(StatusChange change) {
        Status previous = change.previousOwn() == Status.NO_DATA ? lastRecorded(change.systemId())
                : change.previousOwn();
        if (change.own() == previous) {
            return;
        }
        recordedStatus.put(change.systemId(), change.own());
        // By the id the change carries: by the time it is heard of, its slug may be another system's or none.
        record(STATUS_CHANGED, change.systemId(), change.system(), Map.of(
                "previous", previous.label(),
                "status", change.own().label(),
                "rolledUp", change.rolledUp().label()));
    }

    /**
     * Returns the own status a system was last recorded in. After a start every system's status is
     * no-data until its contributors report again, though this timeline says what it was before the
     * stop: reporting that again is no change, and another changes from it. No data if this instance
     * recorded none among the system's latest status records, or they cannot be read now.
     */
    private Status lastRecorded(UUID system) {
        Status known = recordedStatus.get(system);
        if (known != null) {
            return known;
        }
        try {
            String self = instance.instance().name();
            for (StoredEvent stored : store.query(new EventFilter(Set.of(system), Set.of(STATUS_CHANGED), null, null,
                    null, STATUS_LOOK_BACK))) {
                // A remote system's records include its peer's own, about its status there.
                if (self.equals(stored.event().origin())) {
                    return Status.ofLabel(MAPPER.readTree(stored.event().body()).path("status").asText());
                }
            }
        } catch (RuntimeException | IOException e) {
            LOG.debug("Could not read the status last recorded of {}", system, e);
        }
        return Status.NO_DATA;
    }

    private void record(String type, UUID system, String slug, Map<String, Object> body) {
        try {
            Instant now = now();
            Event event = new Event(UUID.randomUUID().toString(), type, system, slug, now, now, Source.KERNEL,
                    instance.instance().name(), MAPPER.writeValueAsString(body));
            if (!records.offer(event) && dropped.incrementAndGet() % 1_000 == 1) {
                LOG.warn("The timeline cannot keep up with the kernel's records; {} dropped so far", dropped.get());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a kernel record", e);
        }
    }

    /**
     * Stores what the kernel recorded since last time, in batches, unless the store failed to take a
     * batch too recently: then that batch is kept and tried again first, after a wait that doubles
     * with each failure up to {@link #LAST_RETRY}. Meanwhile the records wait in their queue; those
     * that find it full are dropped and counted. Only what the database refuses for the data itself,
     * which no retry cures ({@link DatabaseFailures#refusesTheData}), is dropped, and logged as an
     * error: a batch so refused is stored again one record at a time, so that only the records
     * refused themselves are lost. Any other failure, a connection that cannot be had included
     * however it is reported, is tried again.
     */
    void recordPending() {
        if (clock.instant().isBefore(retryAt)) {
            return;
        }
        while (!batch.isEmpty() || records.drainTo(batch, 1_000) > 0) {
            try {
                storeBatch();
            } catch (RuntimeException e) {
                Duration doubled = retryAfter.multipliedBy(2);
                retryAfter = retryAfter.isZero() ? FIRST_RETRY
                        : doubled.compareTo(LAST_RETRY) < 0 ? doubled : LAST_RETRY;
                retryAt = clock.instant().plus(retryAfter);
                LOG.warn("Could not store {} of the kernel's records; trying again in {} ms: {}", batch.size(),
                        retryAfter.toMillis(), e.getMessage());
                return;
            }
            if (!retryAfter.isZero()) {
                LOG.info("Stored the kernel's records again");
                retryAfter = Duration.ZERO;
            }
            batch.clear();
        }
    }

    /**
     * Stores the batch, dropping what the database refuses for its data.
     *
     * @throws RuntimeException if the store failed otherwise; the batch then holds what is not stored
     */
    private void storeBatch() {
        try {
            store(batch);
        } catch (RuntimeException e) {
            if (!DatabaseFailures.refusesTheData(e)) {
                throw e;
            }
            if (batch.size() == 1) {
                refused(batch.get(0), e);
                return;
            }
            // One insert is one transaction: one record refused has the whole batch refused.
            for (Iterator<Event> each = batch.iterator(); each.hasNext(); each.remove()) {
                Event event = each.next();
                try {
                    store(List.of(event));
                } catch (RuntimeException single) {
                    if (!DatabaseFailures.refusesTheData(single)) {
                        throw single;
                    }
                    refused(event, single);
                }
            }
        }
    }

    private void store(List<Event> events) {
        Set<String> created = store.insert(events);
        events.stream().filter(event -> created.contains(event.id())).forEach(this::publish);
    }

    /** Drops a record the database refuses for what it holds, which would be refused again and hold up all after it. */
    private static void refused(Event event, RuntimeException failure) {
        LOG.error("The store refuses the kernel's record {} ({} of {}); it is lost", event.id(), event.type(),
                event.system(), failure);
    }

    void applyRetention() {
        Instant now = clock.instant();
        Retention retention = this.retention;
        retention.rules().forEach((type, keep) -> {
            try {
                int deleted;
                int total = 0;
                do {
                    deleted = store.deleteBefore(type, retention.exceptions(type), now.minus(keep), RETENTION_BATCH);
                    total += deleted;
                } while (deleted == RETENTION_BATCH && !Thread.currentThread().isInterrupted());
                if (total > 0) {
                    LOG.info("Retention deleted {} events of type {} older than {}", total, type, keep);
                }
            } catch (RuntimeException e) {
                LOG.warn("Retention of {} failed; it is tried again in an hour: {}", type, e.getMessage());
            }
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
