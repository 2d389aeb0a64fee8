package io.hanse.testing;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.UnavailableException;
import io.hanse.api.timeline.Appended;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.EventPage;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Subscriber;
import io.hanse.api.timeline.Subscription;
import io.hanse.api.timeline.Timeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Keeps events in memory as the kernel's timeline stores them: idempotent by id, a batch stored
 * entirely or not at all (unknown systems and too many events refuse the whole batch), oldest first. For tests of code
 * that appends: it answers queries with every event and never delivers to subscribers.
 */
public final class MemoryTimeline implements Timeline {

    /** The most events the kernel's timeline takes at once. */
    public static final int MAX_BATCH = 10_000;

    private final Map<String, Event> events = new LinkedHashMap<>();
    private final Set<String> systems;
    private final int maxBatch;
    private volatile boolean unavailable;
    private volatile Predicate<EventDraft> refused = draft -> false;

    /**
     * A timeline of these systems, read as it changes: appending about any other is refused; it takes
     * at most 10,000 events at once, as the kernel's does.
     */
    public MemoryTimeline(Set<String> systems) {
        this(systems, MAX_BATCH);
    }

    /** A timeline of these systems that takes at most {@code maxBatch} events at once. */
    public MemoryTimeline(Set<String> systems, int maxBatch) {
        this.systems = systems;
        this.maxBatch = maxBatch;
    }

    /**
     * Makes appending fail with {@link UnavailableException}, as when the database is away, until
     * called with {@code false}.
     */
    public void unavailable(boolean away) {
        unavailable = away;
    }

    /**
     * Makes appending refuse, with {@link InvalidRequestException}, every batch that holds an event
     * this predicate matches, as the kernel's refuses one whose body is over its limit.
     */
    public void refuse(Predicate<EventDraft> refuse) {
        refused = refuse;
    }

    /** Returns the events stored so far, oldest first. */
    public synchronized List<Event> events() {
        return List.copyOf(events.values());
    }

    /** Returns the events of one type stored so far, oldest first. */
    public synchronized List<Event> ofType(String type) {
        return events.values().stream().filter(event -> event.type().equals(type)).toList();
    }

    @Override
    public Appended append(EventDraft draft) {
        return append(List.of(draft)).get(0);
    }

    @Override
    public synchronized List<Appended> append(List<EventDraft> drafts) {
        if (unavailable) {
            throw new UnavailableException("the timeline is unavailable");
        }
        if (drafts.size() > maxBatch) {
            throw new InvalidRequestException("at most " + maxBatch + " events at once, not " + drafts.size());
        }
        drafts.stream().filter(draft -> !systems.contains(draft.system())).findFirst().ifPresent(draft -> {
            throw new NotFoundException("no system " + Messages.quote(draft.system()));
        });
        drafts.stream().filter(refused).findFirst().ifPresent(draft -> {
            throw new InvalidRequestException("event " + draft.id() + " is refused");
        });
        List<Appended> outcomes = new ArrayList<>();
        for (EventDraft draft : drafts) {
            String id = draft.id() == null ? UUID.randomUUID().toString() : draft.id();
            Event earlier = events.get(id);
            if (earlier != null) {
                outcomes.add(new Appended(earlier, false));
                continue;
            }
            Event event = new Event(id, draft.type(), null, draft.system(), draft.time(), Instant.now(),
                    draft.source(), "test", draft.body());
            events.put(id, event);
            outcomes.add(new Appended(event, true));
        }
        return outcomes;
    }

    /**
     * Returns the newest events of the query's system (members are not known here) and types, as
     * many as its limit, on one page; its other filters are not applied.
     */
    @Override
    public synchronized EventPage query(EventQuery query) {
        List<Event> newest = new ArrayList<>(events.values().stream()
                .filter(event -> query.system() == null || query.system().equals(event.system()))
                .filter(event -> query.matchesType(event.type())).toList());
        Collections.reverse(newest);
        return new EventPage(newest.subList(0, Math.min(query.limit(), newest.size())), Optional.empty());
    }

    @Override
    public Subscription subscribe(EventQuery filter, Subscriber subscriber) {
        return () -> { };
    }
}
