package io.hanse.monitoring.internal;

import java.time.Instant;

/**
 * An acknowledgement of a check's problem: someone knows and is on it.
 *
 * @param author who acknowledged, such as {@code user:alice}
 * @param comment why, or what is being done
 * @param sticky whether it holds until the check recovers; otherwise it ends at any change of status
 * @param time when it was made
 * @param expires when it ends on its own; {@code null} for never
 */
public record Ack(String author, String comment, boolean sticky, Instant time, Instant expires) {

    /**
     * Returns whether a change of the check ends it: a recovery ends any, another change of status
     * one that is not sticky.
     *
     * @param recovery whether the check is ok again, and fresh
     * @param changed whether its status changed, going stale or turning fresh included
     */
    boolean endedBy(boolean recovery, boolean changed) {
        return recovery || changed && !sticky;
    }

    /** Returns whether it has ended by its expiry at this time. */
    public boolean expired(Instant now) {
        return expires != null && !now.isBefore(expires);
    }
}
