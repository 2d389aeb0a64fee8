package io.hanse.monitoring.internal;

import io.hanse.api.HanseException;
import io.hanse.api.UnavailableException;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.Timeline;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * removed, a review pass started or closed, a check removed) stores its events in its own
 * transaction with {@link #owe}, so that the change is never stored without them. They go on the
 * timeline right after the commit ({@link #send}) and, should the timeline not take them then,
 * at every sweep until it does; each event has its own id, so one sent twice is stored once.
 * An event about a system renamed meanwhile goes under its new slug; one about a system deleted
 * meanwhile is dropped, as that system's history is. One the timeline refuses for what it is
 * (such as a body over its limit) is dropped and logged, so that it holds back no other.
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

    private record Row(long seq, Owed owed) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Sql sql;
    private final SystemService systems;
    private final Timeline timeline;

    @Activate
    public Outbox(@Reference MonitoringDatabase database, @Reference SystemService systems,
            @Reference Timeline timeline) {
        this(database.sql(), systems, timeline);
    }

    Outbox(Sql sql, SystemService systems, Timeline timeline) {
        this.sql = sql;
        this.systems = systems;
        this.timeline = timeline;
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
     * Puts the events owed on the timeline, oldest first, and forgets those it took or dropped. If
     * the timeline or the database is unavailable, the rest wait for the next call: this logs it
     * and returns, as the changes they tell of are stored already.
     */
    synchronized void send() {
        try {
            List<Row> rows;
            do {
                rows = sql.inTransaction(connection -> Sql.select(connection, "SELECT * FROM monitoring_outbox"
                        + " ORDER BY seq FETCH FIRST " + Checks.TIMELINE_CHUNK + " ROWS ONLY", Outbox::row));
            } while (send(rows) && rows.size() == Checks.TIMELINE_CHUNK);
        } catch (RuntimeException e) {
            LOG.warn("Monitoring events wait to go on the timeline: {}", e.getMessage());
        }
    }

    /** Sends rows and forgets those done with; returns whether the timeline took all it was given. */
    private boolean send(List<Row> rows) {
        List<Long> done = new ArrayList<>();
        List<Long> sent = new ArrayList<>();
        List<EventDraft> drafts = new ArrayList<>();
        for (Row row : rows) {
            Optional<EventDraft> draft = followed(row.owed());
            if (draft.isEmpty()) {
                LOG.info("Event {} is not put on the timeline: system {} is gone", row.owed().event().id(),
                        row.owed().event().system());
                done.add(row.seq());
            } else {
                drafts.add(draft.get());
                sent.add(row.seq());
            }
        }
        boolean all = true;
        try {
            if (!drafts.isEmpty()) {
                timeline.append(drafts);
            }
            done.addAll(sent);
        } catch (RuntimeException refused) {
            if (!refusal(refused)) {
                throw refused;
            }
            // One of them is refused: the others go on alone.
            for (int i = 0; i < drafts.size() && all; i++) {
                all = sendAlone(drafts.get(i));
                if (all) {
                    done.add(sent.get(i));
                }
            }
        } finally {
            if (!done.isEmpty()) {
                sql.inTransaction(connection -> {
                    Sql.batch(connection, "DELETE FROM monitoring_outbox WHERE seq = ?", done, seq -> new Object[] {seq});
                    return null;
                });
            }
        }
        return all;
    }

    /** Sends one event; returns false if the timeline is unavailable, true if it took it or refused it for good. */
    private boolean sendAlone(EventDraft draft) {
        try {
            timeline.append(draft);
        } catch (RuntimeException e) {
            if (!refusal(e)) {
                LOG.warn("Monitoring events wait to go on the timeline: {}", e.getMessage());
                return false;
            }
            LOG.error("Event {} ({} about {}) is dropped: the timeline refuses it: {}", draft.id(), draft.type(),
                    draft.system(), e.getMessage());
        }
        return true;
    }

    /** Whether the timeline refused an event for what it is, which sending it again does not change. */
    private static boolean refusal(RuntimeException e) {
        return e instanceof HanseException && !(e instanceof UnavailableException);
    }

    /** The event as it goes on the timeline now: under its system's slug now; empty if the system is gone. */
    private Optional<EventDraft> followed(Owed owed) {
        EventDraft event = owed.event();
        Optional<ManagedSystem> system = owed.systemId() == null ? systems.find(event.system())
                : systems.find(owed.systemId());
        return system.map(ManagedSystem::slug).map(slug -> slug.equals(event.system()) ? event
                : new EventDraft(event.id(), event.type(), slug, event.time(), event.source(), event.body()));
    }

    private static Row row(ResultSet row) throws SQLException {
        return new Row(row.getLong("seq"), new Owed(new EventDraft(row.getString("event_id"), row.getString("type"),
                row.getString("system"), Sql.instant(row, "time"), new Source(Source.Kind.valueOf(
                        row.getString("source_kind")), row.getString("source_name")), row.getString("body")),
                row.getObject("system_id", UUID.class)));
    }
}
