package io.hanse.monitoring.internal;

import io.hanse.api.HanseException;
import io.hanse.api.NotFoundException;
import io.hanse.api.UnavailableException;
import io.hanse.api.store.FailureLog;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.Timeline;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timeline events the plugin owes: a change people should see there (a downtime scheduled or
 * removed, a review pass started or closed, a review or a check removed) stores its events in its own
 * transaction with {@link #owe}, so that the change is never stored without them. The change's
 * caller puts them on the timeline right after the commit ({@link #send}); those the timeline does
 * not take then wait for the sweep ({@link #sendOwed}), which tries again until it does. Each
 * event has its own id, so one sent twice is stored once. An event about a system renamed
 * meanwhile goes under its new slug; one about a system deleted meanwhile is dropped, as that
 * system's history is. One the timeline refuses for what it is (such as a body over its limit),
 * or that cannot be read back, is dropped and logged as an error, so that it holds back no other.
 */
@Component(service = Outbox.class)
public final class Outbox {

    /**
     * An event owed.
     *
     * @param systemId the id of the system it is about, by which it follows a rename; {@code null}
     *     if unknown, when it goes under its slug as long as a system has it
     */
    record Owed(EventDraft event, UUID systemId) {
    }

    /** A stored event, by its id; {@code owed} is {@code null} if it cannot be read back. */
    private record Row(String id, Owed owed) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** How many times an event is sent at once under the new slug of a system renamed as it was sent. */
    private static final int RENAMED_AS_SENT = 3;

    private final Sql sql;
    private final SystemService systems;
    private final Timeline timeline;
    /**
     * Says that events wait, as they do at each sweep and change while the database is away; {@link
     * #sendOwed}, which the sweep calls, says when none wait any more.
     */
    private final FailureLog failures;

    @Activate
    public Outbox(@Reference MonitoringDatabase database, @Reference SystemService systems,
            @Reference Timeline timeline) {
        this(database.sql(), systems, timeline);
    }

    Outbox(Sql sql, SystemService systems, Timeline timeline) {
        this.sql = sql;
        this.systems = systems;
        this.timeline = timeline;
        this.failures = new FailureLog(LOG, "Monitoring events go on the timeline", Clock.systemUTC());
    }

    /** Stores events owed, as part of the caller's transaction. */
    static void owe(Connection connection, List<Owed> events) throws SQLException {
        Sql.batch(connection, "INSERT INTO monitoring_outbox (event_id, type, system, system_id, time, source_kind,"
                + " source_name, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", events, owed -> {
                    EventDraft event = owed.event();
                    return new Object[] {event.id(), event.type(), event.system(), owed.systemId(), event.time(),
                        event.source().kind().name(), event.source().name(), event.body()};
                });
    }

    /**
     * Puts the events a change just stored on the timeline, and forgets them. Those the timeline
     * cannot take now wait for the sweep: this logs it and returns, as the change is stored.
     */
    void send(List<Owed> events) {
        try {
            forget(deliver(events));
        } catch (RuntimeException e) {
            waiting(e);
        }
    }

    /**
     * Puts the events owed on the timeline, oldest first, a chunk at a time for {@link
     * Checks#SWEEP_PART} at most, and forgets those done with; stops at the first the timeline cannot
     * take now, which waits for the next call.
     */
    synchronized void sendOwed() {
        try {
            boolean[] held = {false};
            Checks.inTurn(() -> {
                List<Row> rows = sql.inTransaction(connection -> Sql.select(connection,
                        "SELECT * FROM monitoring_outbox ORDER BY seq FETCH FIRST " + Checks.TIMELINE_CHUNK
                                + " ROWS ONLY", Outbox::row));
                List<String> done = new ArrayList<>();
                List<Owed> readable = new ArrayList<>();
                for (Row row : rows) {
                    if (row.owed() == null) {
                        done.add(row.id());
                    } else {
                        readable.add(row.owed());
                    }
                }
                done.addAll(deliver(readable));
                forget(done);
                held[0] = done.size() < rows.size();
                return rows.size() == Checks.TIMELINE_CHUNK && !held[0];
            });
            if (!held[0]) {
                failures.worked();
            }
        } catch (RuntimeException e) {
            waiting(e);
        }
    }

    /**
     * Puts events on the timeline, a chunk at a time, and returns the ids of those done with: on
     * the timeline, or dropped. Stops at the first the timeline cannot take now.
     */
    private List<String> deliver(List<Owed> events) {
        List<String> done = new ArrayList<>();
        for (int from = 0; from < events.size(); from += Checks.TIMELINE_CHUNK) {
            List<Owed> chunk = events.subList(from, Math.min(events.size(), from + Checks.TIMELINE_CHUNK));
            List<String> ids = new ArrayList<>();
            List<EventDraft> drafts = new ArrayList<>();
            for (Owed owed : chunk) {
                Optional<EventDraft> draft = followed(owed);
                ids.add(owed.event().id());
                draft.ifPresent(drafts::add);
            }
            try {
                if (!drafts.isEmpty()) {
                    timeline.append(drafts);
                }
                done.addAll(ids);
            } catch (RuntimeException e) {
                if (!refusal(e)) {
                    waiting(e);
                    return done;
                }
                // One of them is refused, or its system was renamed a moment ago: each goes on alone.
                for (Owed owed : chunk) {
                    if (!deliverAlone(owed)) {
                        return done;
                    }
                    done.add(owed.event().id());
                }
            }
        }
        return done;
    }

    /** Puts one event on the timeline; returns false if the timeline cannot take it now. */
    private boolean deliverAlone(Owed owed) {
        Optional<EventDraft> draft = followed(owed);
        // Again under its new slug while its system is renamed between looking up the slug and appending;
        // should that go on, the event waits for the next sweep.
        for (int attempt = 1; draft.isPresent(); attempt++) {
            try {
                timeline.append(draft.get());
                return true;
            } catch (RuntimeException e) {
                if (!refusal(e)) {
                    waiting(e);
                    return false;
                }
                Optional<EventDraft> now = e instanceof NotFoundException ? followed(owed) : draft;
                if (now.map(EventDraft::system).equals(draft.map(EventDraft::system))) {
                    LOG.error("Event {} ({} about {}) is dropped: the timeline refuses it: {}", draft.get().id(),
                            draft.get().type(), draft.get().system(), e.getMessage());
                    return true;
                }
                if (attempt == RENAMED_AS_SENT) {
                    waiting(e);
                    return false;
                }
                draft = now;
            }
        }
        return true;
    }

    private void waiting(RuntimeException why) {
        failures.failed("Monitoring events wait to go on the timeline; the sweep tries again", why);
    }

    /** Whether the timeline refused an event for what it is, which sending it again does not change. */
    static boolean refusal(RuntimeException e) {
        return e instanceof HanseException && !(e instanceof UnavailableException);
    }

    /**
     * The event as it goes on the timeline now: under the slug its system has now; empty, and
     * logged, if the system is gone.
     */
    private Optional<EventDraft> followed(Owed owed) {
        EventDraft event = owed.event();
        Optional<String> slug = (owed.systemId() == null ? systems.find(event.system())
                : systems.find(owed.systemId())).map(ManagedSystem::slug);
        if (slug.isEmpty()) {
            LOG.info("Event {} is not put on the timeline: system {} is gone", event.id(), event.system());
        }
        return slug.map(now -> now.equals(event.system()) ? event
                : new EventDraft(event.id(), event.type(), now, event.time(), event.source(), event.body()));
    }

    private void forget(List<String> ids) {
        if (!ids.isEmpty()) {
            sql.inTransaction(connection -> {
                Sql.batch(connection, "DELETE FROM monitoring_outbox WHERE event_id = ?", ids, id -> new Object[] {id});
                return null;
            });
        }
    }

    private static Row row(ResultSet row) throws SQLException {
        String id = row.getString("event_id");
        try {
            return new Row(id, new Owed(new EventDraft(id, row.getString("type"), row.getString("system"),
                    Sql.instant(row, "time"), new Source(Source.Kind.valueOf(row.getString("source_kind")),
                            row.getString("source_name")), row.getString("body")),
                    row.getObject("system_id", UUID.class)));
        } catch (IllegalArgumentException | HanseException unreadable) {
            LOG.error("Event {} owed to the timeline is dropped: it cannot be read back: {}", id,
                    unreadable.getMessage());
            return new Row(id, null);
        }
    }
}
