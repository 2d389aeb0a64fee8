package io.hanse.monitoring.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Something that happened to a check, as its history keeps it.
 *
 * @param kind what happened
 * @param state the check's state right after
 * @param from the status before, for {@link Kind#SOFT} and {@link Kind#HARD}; otherwise the status then
 * @param time when, to the microsecond as the database keeps it: an entry shown from memory is
 *     then the one stored, which is found by its time, and gets the same event id
 */
public record Change(Kind kind, CheckState state, CheckStatus from, Instant time) {

    public Change {
        time = time.truncatedTo(ChronoUnit.MICROS);
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
