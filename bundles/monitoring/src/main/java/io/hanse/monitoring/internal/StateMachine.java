package io.hanse.monitoring.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a check's state and a new result into its next state, as Icinga 2 does: ok is always hard;
 * a problem becomes hard on the {@code maxAttempts}-th failing result in a row, at once if it is
 * already hard (warning to critical); a hard problem that recovers is a hard recovery, a soft one a
 * soft recovery. Each result also feeds flap detection; a result that is itself recent ends
 * staleness (one that waited in an agent's spool does not); recovery ends any acknowledgement and
 * another change of status ends one that is not sticky.
 */
public final class StateMachine {

    /**
     * What the machine runs with.
     *
     * @param maxAttempts max attempts when neither a policy nor the agent says
     * @param intervalSeconds the interval when the agent does not say
     * @param flapLow below this share of changes, in percent, a flapping check stops flapping
     * @param flapHigh above this share a check starts flapping
     * @param staleTolerance how many intervals without a result make a check stale
     */
    public record Settings(int maxAttempts, int intervalSeconds, double flapLow, double flapHigh,
            double staleTolerance) {
    }

    /** A check's next state and what happened on the way. */
    public record Step(CheckState state, List<Change> changes) {
    }

    private final Settings settings;

    public StateMachine(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Applies a result.
     *
     * @param previous the check's state, or {@code null} if this is its first result
     * @param systemId the id of the result's system, which a check's first state keeps
     * @param now the time it is applied at
     * @return the next step; empty if the result was applied before or is older than the latest one
     */
    public Optional<Step> apply(CheckState previous, CheckResult result, UUID systemId, Instant now) {
        if (previous != null && !result.follows(previous)) {
            return Optional.empty();
        }
        CheckState before = previous != null ? previous : firstSeen(result, systemId);
        int policy = before.policyMaxAttempts();
        int maxAttempts = policy > 0 ? policy : result.maxAttempts() > 0 ? result.maxAttempts()
                : settings.maxAttempts();
        CheckStatus status = result.status();
        boolean changed = status != before.status();
        boolean hard;
        int attempt;
        CheckStatus hardStatus = before.hardStatus();
        if (status == CheckStatus.OK) {
            hard = true;
            attempt = 1;
            hardStatus = CheckStatus.OK;
        } else if (before.hard() && before.hardStatus() != CheckStatus.OK) {
            hard = true;
            attempt = maxAttempts;
            hardStatus = status;
        } else {
            attempt = before.status() == CheckStatus.OK ? 1 : Math.min(before.attempt() + 1, maxAttempts);
            hard = attempt >= maxAttempts;
            if (hard) {
                hardStatus = status;
            }
        }
        boolean hardChanged = hardStatus != before.hardStatus();
        Flapping flapping = before.flapping().next(changed, settings.flapLow(), settings.flapHigh());
        // As maxAttempts: what the result says, else what the configuration says now.
        int interval = result.intervalSeconds() > 0 ? result.intervalSeconds() : settings.intervalSeconds();
        boolean stale = before.stale() && now.isAfter(result.time().plus(CheckState.staleness(interval,
                settings.staleTolerance())));
        // A check is shown stale as in a status of its own: turning fresh is a change of status too.
        Ack ack = before.ack();
        boolean ackEnds = ack != null && ack.endedBy(status == CheckStatus.OK && !stale,
                changed || stale != before.stale());
        CheckState next = new CheckState(before.system(), before.systemId(), before.check(), status, hard, hardStatus,
                attempt, maxAttempts, result.output(), result.longOutput(), result.perfdata(), result.perfdataError(),
                result.durationMs(), result.timedOut(), result.id(), result.time(),
                changed ? result.time() : before.lastChange(), hardChanged ? result.time() : before.lastHardChange(),
                before.firstSeen(), interval, flapping, stale, ackEnds ? null : ack, policy, now);
        // A change of status, and of flapping, is the check's, at the time its result ran; turning
        // fresh and an acknowledgement ending are the server's, when it learnt of the result: after a
        // stale mark or an acknowledgement it may have made meanwhile, which an agent's late result
        // must not seem to precede. Each happens at most once in a batch.
        List<Change> changes = new ArrayList<>(2);
        if (hardChanged) {
            changes.add(new Change(Change.Kind.HARD, next, before.hardStatus(), result.time()));
        } else if (changed) {
            changes.add(new Change(Change.Kind.SOFT, next, before.status(), result.time()));
        }
        if (flapping.flapping() != before.flapping().flapping()) {
            changes.add(new Change(flapping.flapping() ? Change.Kind.FLAPPING_STARTED : Change.Kind.FLAPPING_ENDED,
                    next, status, result.time()));
        }
        if (before.stale() && !stale) {
            changes.add(new Change(Change.Kind.FRESH, next, status, now));
        }
        if (ackEnds) {
            changes.add(new Change(Change.Kind.ACK_ENDED, next, status, now));
        }
        return Optional.of(new Step(next, changes));
    }

    /** The state a check is taken to have before its first result: ok, as Icinga 2 assumes. */
    private CheckState firstSeen(CheckResult result, UUID systemId) {
        return new CheckState(result.system(), systemId, result.check(), CheckStatus.OK, true, CheckStatus.OK, 1,
                settings.maxAttempts(), "", "", null, null, null, null, "", result.time(), result.time(), result.time(),
                result.time(), settings.intervalSeconds(), Flapping.NONE, false, null, 0, null);
    }
}
