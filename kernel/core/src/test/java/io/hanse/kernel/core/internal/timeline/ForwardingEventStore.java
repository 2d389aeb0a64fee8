package io.hanse.kernel.core.internal.timeline;

import io.hanse.api.timeline.Event;
import io.hanse.kernel.store.EventFilter;
import io.hanse.kernel.store.EventStore;
import io.hanse.kernel.store.SequenceRange;
import io.hanse.kernel.store.StoredEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Passes every call on to a real store, for a test to make some of them fail or wait. */
class ForwardingEventStore implements EventStore {

    private final EventStore store;

    ForwardingEventStore(EventStore store) {
        this.store = store;
    }

    @Override
    public Set<String> insert(List<Event> events) {
        return store.insert(events);
    }

    @Override
    public Map<String, Event> find(Collection<String> ids) {
        return store.find(ids);
    }

    @Override
    public List<StoredEvent> query(EventFilter filter) {
        return store.query(filter);
    }

    @Override
    public List<StoredEvent> since(long seq, int max, String origin) {
        return store.since(seq, max, origin);
    }

    @Override
    public long highestSequence() {
        return store.highestSequence();
    }

    @Override
    public List<StoredEvent> withSequence(List<SequenceRange> ranges, int max, String origin) {
        return store.withSequence(ranges, max, origin);
    }

    @Override
    public int deleteBefore(String type, Set<String> except, Instant before, int max) {
        return store.deleteBefore(type, except, before, max);
    }
}
