package io.hanse.monitoring.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Where one check of one system stands after its latest result. Immutable: the state machine
 * makes a new one from each result.
 *
 * @param system the system's slug
 * @param systemId the system's id, which its checks follow when its slug changes
 * @param check the check's name
 * @param status what the latest result said
 * @param hard whether {@link #status} is hard: ok always is; a problem is once it has been seen
 *     {@link #maxAttempts} times in a row
 * @param hardStatus the latest hard status, which the system's status and the history count
 * @param attempt how many results in a row said {@link #status}, up to {@link #maxAttempts}
 * @param maxAttempts after how many failing results in a row a problem is hard
 * @param output the latest result's first line
 * @param longOutput the latest result's following lines
 * @param perfdata the latest result's metrics as a JSON array, or {@code null}
 * @param perfdataError what of the latest result's perfdata could not be read, or {@code null}
 * @param durationMs how long the latest result's run took, in milliseconds; {@code null} if its agent did not say
 * @param timedOut whether the latest result's run was killed at its timeout; {@code null} if its agent did not say
 * @param resultId the latest result's id
 * @param lastResult when the latest result was observed
 * @param lastChange when {@link #status} last changed
 * @param lastHardChange when {@link #hardStatus} last changed
 * @param firstSeen when the first result of this check came
 * @param intervalSeconds how often results are due
 * @param flapping the recent history of changes, and whether the check is flapping
 * @param stale whether no result came within the interval times the staleness tolerance
 * @param ack the acknowledgement of its problem, or {@code null}
 * @param policyMaxAttempts max attempts set on the server for this check, which wins over the agent's; {@code 0} for
 *     none
 * @param received when this node took the latest result, by its own clock; {@code null} if it took
 *     none since it started. Kept in memory only: staleness counts from it
 */
public record CheckState(String system, UUID systemId, String check, CheckStatus status, boolean hard,
        CheckStatus hardStatus, int attempt, int maxAttempts, String output, String longOutput, String perfdata,
        String perfdataError, Long durationMs, Boolean timedOut, String resultId, Instant lastResult,
        Instant lastChange, Instant lastHardChange, Instant firstSeen, int intervalSeconds, Flapping flapping,
        boolean stale, Ack ack, int policyMaxAttempts, Instant received) {

    /** Returns whether the check is a problem now: failing, even softly, or stale. */
    public boolean problem() {
        return status != CheckStatus.OK || stale;
    }

    /** Returns what people are shown: the status, or {@code stale}. */
    public String shown() {
        return stale ? "stale" : status.label();
    }

    /**
     * Returns when a result is overdue enough to call the check stale, with this tolerance: counted
     * from when the latest result came, so that an agent sending what waited in its spool, or whose
     * clock is behind, is not taken for silent; from the latest result's own time if that is later
     * (a clock ahead); and from {@code notBefore} at the earliest.
     */
    public Instant staleAfter(double tolerance, Instant notBefore) {
        Instant from = received != null && received.isAfter(lastResult) ? received : lastResult;
        return (from.isAfter(notBefore) ? from : notBefore).plus(staleness(intervalSeconds, tolerance));
    }

    /**
     * Returns whether the check flaps now, as every view shows it: a stale one does not, as its last
     * flapping says nothing of now.
     */
    public boolean flappingNow() {
        return flapping.flapping() && !stale;
    }

    /** Returns how long without a result makes a check with this interval stale. */
    static Duration staleness(int intervalSeconds, double tolerance) {
        return Duration.ofMillis(Math.round(intervalSeconds * 1000L * tolerance));
    }

    CheckState withSystem(String slug) {
        return new CheckState(slug, systemId, check, status, hard, hardStatus, attempt, maxAttempts, output,
                longOutput, perfdata, perfdataError, durationMs, timedOut, resultId, lastResult, lastChange,
                lastHardChange, firstSeen, intervalSeconds, flapping, stale, ack, policyMaxAttempts, received);
    }

    CheckState withStale(boolean nowStale) {
        return new CheckState(system, systemId, check, status, hard, hardStatus, attempt, maxAttempts, output,
                longOutput, perfdata, perfdataError, durationMs, timedOut, resultId, lastResult, lastChange,
                lastHardChange, firstSeen, intervalSeconds, flapping, nowStale, ack, policyMaxAttempts, received);
    }

    CheckState withAck(Ack newAck) {
        return new CheckState(system, systemId, check, status, hard, hardStatus, attempt, maxAttempts, output,
                longOutput, perfdata, perfdataError, durationMs, timedOut, resultId, lastResult, lastChange,
                lastHardChange, firstSeen, intervalSeconds, flapping, stale, newAck, policyMaxAttempts, received);
    }

    CheckState withPolicy(int newPolicyMaxAttempts) {
        return new CheckState(system, systemId, check, status, hard, hardStatus, attempt, maxAttempts, output,
                longOutput, perfdata, perfdataError, durationMs, timedOut, resultId, lastResult, lastChange,
                lastHardChange, firstSeen, intervalSeconds, flapping, stale, ack, newPolicyMaxAttempts, received);
    }
}
