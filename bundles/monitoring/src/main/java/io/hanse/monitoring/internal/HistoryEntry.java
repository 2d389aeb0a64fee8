package io.hanse.monitoring.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a check's history, as stored; for an acknowledgement, {@code output} holds its
 * author and comment.
 *
 * @param acknowledged for a {@link Change.Kind#HARD} change, whether the check's problem was
 *     acknowledged with it, by an acknowledgement the change did not end; {@code null} for other
 *     kinds and for changes stored before the plugin kept it
 * @param inDowntime for a hard change, whether a downtime covered the check then; {@code null} as
 *     {@code acknowledged}
 * @param downtime that downtime's id, if it is on the check's own system (see {@link Change#downtime})
 * @param by who made it (see {@link Change#by}); {@code null} if no one did, and for changes stored before
 *     the plugin kept it
 * @param ack for {@link Change.Kind#ACKNOWLEDGED}, the acknowledgement given; {@code null} for other kinds
 *     and for acknowledgements stored before the plugin kept it
 */
public record HistoryEntry(String system, String check, Change.Kind kind, CheckStatus status, CheckStatus from,
        boolean hard, int attempt, String output, Instant time, Boolean acknowledged, Boolean inDowntime,
        UUID downtime, String by, Ack ack) {

    /** The id of its timeline event: the same entry always gets the same one. */
    String eventId() {
        return "monitoring:" + UUID.nameUUIDFromBytes(String.join("\u0000", system, check, kind.name(), from.name(),
                status.name(), time.toString()).getBytes(StandardCharsets.UTF_8));
    }

    static HistoryEntry of(Change change) {
        CheckState state = change.state();
        String output = change.kind() == Change.Kind.ACKNOWLEDGED
                ? state.ack().author() + ": " + state.ack().comment() : state.output();
        boolean hard = change.kind() == Change.Kind.HARD;
        return new HistoryEntry(state.system(), state.check(), change.kind(), state.status(), change.from(),
                state.hard(), state.attempt(), CheckResult.cut(output, 1000), change.time(),
                hard ? state.ack() != null && !state.ack().expired(change.time()) : null,
                hard ? change.inDowntime() : null, change.downtime(), change.by(),
                change.kind() == Change.Kind.ACKNOWLEDGED ? state.ack() : null);
    }
}
