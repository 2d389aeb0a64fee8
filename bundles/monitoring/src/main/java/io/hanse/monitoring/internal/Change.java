package io.hanse.monitoring.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * Something that happened to a check, as its history keeps it.
 *
 * @param kind what happened
 * @param state the check's state right after
 * @param from the status before, for {@link Kind#SOFT} and {@link Kind#HARD}; otherwise the status then
 * @param time when, to the microsecond as the database keeps it: an entry shown from memory is
 *     then the one stored, which is found by its time, and gets the same event id
 * @param inDowntime for a {@link Kind#HARD} change, whether a downtime covered the check at its time
 * @param downtime that downtime's id if it is on the check's own system, else {@code null}: the
 *     change's event is about the check's system, whose readers may not read an aggregate's downtime
 * @param by who made it, such as {@code user:alice} who removed an acknowledgement; {@code null} for a
 *     change no one made, such as a result's, a recovery's or an expiry's
 */
public record Change(Kind kind, CheckState state, CheckStatus from, Instant time, boolean inDowntime,
        UUID downtime, String by) {

    public Change {
        time = time.truncatedTo(ChronoUnit.MICROS);
    }

    /** A change no downtime is known to cover. */
    public Change(Kind kind, CheckState state, CheckStatus from, Instant time) {
        this(kind, state, from, time, false, null, null);
    }

    /** A change someone made, which no downtime is known to cover. */
    public Change(Kind kind, CheckState state, CheckStatus from, Instant time, String by) {
        this(kind, state, from, time, false, null, by);
    }

    /** Returns this change as made while a downtime covered its check. */
    Change during(Downtime covering) {
        return new Change(kind, state, from, time, true, covering.system().equals(state.system())
                ? covering.id() : null, by);
    }

    /** What can happen to a check. */
    public enum Kind {
        /** The status changed without (yet) being hard: a soft problem, or a soft recovery. */
        SOFT,
        /** The hard status changed: the check broke, recovered or got worse. */
        HARD,
        FLAPPING_STARTED,
        FLAPPING_ENDED,
        /** No result came in time. */
        STALE,
        /** A result came again after the check was stale. */
        FRESH,
        /** Someone acknowledged its problem. */
        ACKNOWLEDGED,
        /** Its acknowledgement ended: by recovery, a change of status, expiry or removal. */
        ACK_ENDED;

        /** Returns the lower-case name used in REST and the history, such as {@code flapping-started}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Returns the type of its timeline event, such as {@code monitoring.state-changed} for a hard change. */
        public String eventType() {
            return "monitoring." + (this == HARD ? "state-changed" : label());
        }

        /** Returns whether people see this kind on the timeline; soft changes stay in the check's history. */
        public boolean onTimeline() {
            return this != SOFT;
        }
    }
}
