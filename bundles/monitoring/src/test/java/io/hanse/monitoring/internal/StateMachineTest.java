package io.hanse.monitoring.internal;

import static io.hanse.monitoring.internal.CheckStatus.CRITICAL;
import static io.hanse.monitoring.internal.CheckStatus.OK;
import static io.hanse.monitoring.internal.CheckStatus.UNKNOWN;
import static io.hanse.monitoring.internal.CheckStatus.WARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StateMachineTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final UUID WEB_1 = UUID.randomUUID();
    private final StateMachine machine = new StateMachine(new StateMachine.Settings(3, 60, 25, 30, 2.5));
    private CheckState state;
    private List<Change> changes;
    private int seq;

    private void result(CheckStatus status) {
        result(status, 0);
    }

    private void result(CheckStatus status, int maxAttempts) {
        seq++;
        Instant time = T0.plusSeconds(60L * seq);
        result(status, maxAttempts, time, time);
    }

    /** Applies a result of a time at another. */
    private void result(CheckStatus status, int maxAttempts, Instant time, Instant now) {
        StateMachine.Step step = machine.apply(state, new CheckResult("r" + seq, "web-1", "disk", time, status,
                status.label(), "", null, null, null, null, 60, maxAttempts), WEB_1, now).orElseThrow();
        state = step.state();
        changes = step.changes();
    }

    private List<Change.Kind> kinds() {
        return changes.stream().map(Change::kind).toList();
    }

    @Test
    void aProblemTurnsHardOnTheThirdFailingResultInARow() {
        result(OK);
        result(CRITICAL);
        assertEquals(List.of(Change.Kind.SOFT), kinds());
        assertFalse(state.hard());
        assertEquals(1, state.attempt());
        assertEquals(OK, state.hardStatus());
        result(CRITICAL);
        assertEquals(2, state.attempt());
        assertEquals(List.of(), kinds());
        result(CRITICAL);
        assertTrue(state.hard());
        assertEquals(3, state.attempt());
        assertEquals(CRITICAL, state.hardStatus());
        assertEquals(List.of(Change.Kind.HARD), kinds());
        assertEquals(OK, changes.get(0).from());
        assertEquals(T0.plusSeconds(240), state.lastHardChange());
    }

    @Test
    void aSoftProblemThatRecoversNeverTurnsHard() {
        result(OK);
        result(WARNING);
        result(WARNING);
        result(OK);
        assertEquals(List.of(Change.Kind.SOFT), kinds());
        assertTrue(state.hard());
        assertEquals(OK, state.hardStatus());
        assertEquals(T0.plusSeconds(60), state.lastHardChange());
        assertEquals(1, state.attempt());
    }

    @Test
    void aHardProblemChangesHardAtOnceAndRecoversHard() {
        result(CRITICAL, 1);
        assertEquals(List.of(Change.Kind.HARD), kinds());
        result(WARNING, 1);
        assertEquals(List.of(Change.Kind.HARD), kinds());
        assertEquals(CRITICAL, changes.get(0).from());
        result(UNKNOWN);
        assertEquals(UNKNOWN, state.hardStatus(), "a hard problem stays hard whatever the new max attempts");
        result(OK);
        assertEquals(List.of(Change.Kind.HARD), kinds());
        assertEquals(OK, state.hardStatus());
    }

    @Test
    void aChecksStatesKeepTheIdOfTheSystemItsFirstResultWasFor() {
        result(OK);
        assertEquals(WEB_1, state.systemId());
        result(CRITICAL);
        assertEquals(WEB_1, state.systemId());
        assertEquals(WEB_1, changes.get(0).state().systemId());
    }

    @Test
    void theServersPolicyWinsOverTheAgentsMaxAttempts() {
        result(OK);
        state = state.withPolicy(2);
        result(CRITICAL, 1);
        assertFalse(state.hard(), "the agent's 1 is overruled by the policy's 2");
        result(CRITICAL, 1);
        assertTrue(state.hard());
        assertEquals(2, state.maxAttempts());
    }

    @Test
    void aResultSentAgainOrOlderThanTheLatestChangesNothing() {
        result(OK);
        CheckResult again = new CheckResult("r1", "web-1", "disk", T0.plusSeconds(60), CRITICAL, "", "", null, null,
                null, null, 60, 0);
        assertTrue(machine.apply(state, again, WEB_1, T0.plusSeconds(60)).isEmpty());
        CheckResult older = new CheckResult("late", "web-1", "disk", T0, CRITICAL, "", "", null, null, null, null,
                60, 0);
        assertTrue(machine.apply(state, older, WEB_1, T0.plusSeconds(60)).isEmpty());
    }

    @Test
    void resultsAtTheSameTimeFollowTheirAgentsSequence() {
        Instant t = T0.plusSeconds(60);
        state = machine.apply(null, result("agent:a:1:7", t, CRITICAL), WEB_1, t).orElseThrow().state();
        assertTrue(machine.apply(state, result("agent:a:1:7", t.plusSeconds(5), OK), WEB_1, t).isEmpty(),
                "the same observation sent again, whatever its time");
        assertTrue(machine.apply(state, result("agent:a:1:6", t, OK), WEB_1, t).isEmpty(),
                "earlier in the same sequence");
        assertTrue(machine.apply(state, result("agent:a:1:8", t, OK), WEB_1, t).isPresent());
        assertTrue(machine.apply(state, result("agent:b:1:2", t, OK), WEB_1, t).isPresent(),
                "another agent at the same time");
    }

    private static CheckResult result(String id, Instant time, CheckStatus status) {
        return new CheckResult(id, "web-1", "disk", time, status, "", "", null, null, null, null, 60, 0);
    }

    @Test
    void flappingStartsAboveTheHighThresholdAndEndsOnlyBelowTheLowOne() {
        for (int i = 0; i < 20; i++) {
            result(OK);
        }
        result(CRITICAL);
        result(OK);
        result(CRITICAL);
        result(OK);
        result(CRITICAL);
        assertFalse(state.flapping().flapping(), "five changes in 20 results is " + state.flapping().percent());
        result(OK);
        assertTrue(state.flapping().flapping(), "six changes: " + state.flapping().percent() + "%");
        assertTrue(kinds().contains(Change.Kind.FLAPPING_STARTED));
        int stable = 0;
        while (state.flapping().flapping()) {
            double before = state.flapping().percent();
            result(CRITICAL);
            stable++;
            if (state.flapping().flapping()) {
                assertTrue(state.flapping().percent() >= 25, "still flapping at " + state.flapping().percent());
            } else {
                assertTrue(state.flapping().percent() < 25, "stopped at " + state.flapping().percent());
                assertTrue(before >= 25);
            }
        }
        assertTrue(stable > 1, "hysteresis keeps it flapping between 25 and 30 %");
        assertTrue(kinds().contains(Change.Kind.FLAPPING_ENDED));
    }

    @Test
    void aNonStickyAckEndsAtAnyChangeOfStatus() {
        result(WARNING, 1);
        state = state.withAck(new Ack("user:alice", "on it", false, T0, null));
        result(WARNING, 1);
        assertNotNull(state.ack(), "the same status keeps the acknowledgement");
        result(CRITICAL, 1);
        assertNull(state.ack());
        assertTrue(kinds().contains(Change.Kind.ACK_ENDED));
    }

    @Test
    void aStickyAckHoldsThroughWorseProblemsAndEndsAtRecovery() {
        result(WARNING, 1);
        state = state.withAck(new Ack("user:alice", "on it", true, T0, null));
        result(CRITICAL, 1);
        assertNotNull(state.ack());
        result(OK);
        assertNull(state.ack());
        assertEquals(List.of(Change.Kind.HARD, Change.Kind.ACK_ENDED), kinds());
    }

    @Test
    void turningFreshIsAChangeOfStatusThatEndsANonStickyAckButNotASticky() {
        result(CRITICAL, 1);
        state = state.withStale(true).withAck(new Ack("user:alice", "the host reboots", false, T0, null));
        result(CRITICAL, 1);
        assertNull(state.ack(), "acknowledged for being stale, not for being critical");
        assertEquals(List.of(Change.Kind.FRESH, Change.Kind.ACK_ENDED), kinds());

        state = state.withStale(true).withAck(new Ack("user:alice", "the host reboots", true, T0, null));
        result(CRITICAL, 1);
        assertNotNull(state.ack());
    }

    @Test
    void aRecoveryThatLeavesTheCheckStaleKeepsAStickyAck() {
        result(CRITICAL, 1);
        state = state.withStale(true).withAck(new Ack("user:alice", "the agent is gone", true, T0, null));
        Instant now = T0.plusSeconds(3600);
        seq++;
        result(OK, 1, now.minusSeconds(151), now);
        assertTrue(state.stale(), "a result from the agent's spool");
        assertNotNull(state.ack(), "still no word from the check now");
        seq++;
        result(OK, 1, now.minusSeconds(1), now);
        assertNull(state.ack());
    }

    @Test
    void aResultAfterStalenessIsFresh() {
        result(OK);
        state = state.withStale(true);
        assertTrue(state.problem());
        assertEquals("stale", state.shown());
        result(OK);
        assertFalse(state.stale());
        assertEquals(List.of(Change.Kind.FRESH), kinds());
    }

    @Test
    void aResultThatWaitedInTheAgentsSpoolDoesNotEndStaleness() {
        result(OK);
        state = state.withStale(true);
        Instant now = T0.plusSeconds(3600);
        seq++;
        result(CRITICAL, 1, now.minusSeconds(151), now);
        assertTrue(state.stale(), "2.5 intervals old when it came: no fresher than no result");
        assertEquals(CRITICAL, state.status(), "but it is taken");
        assertEquals(List.of(Change.Kind.HARD), kinds());
        seq++;
        result(CRITICAL, 1, now.minusSeconds(149), now);
        assertFalse(state.stale());
        assertEquals(List.of(Change.Kind.FRESH), kinds());
    }

    @Test
    void aResultThatDoesNotSayItsIntervalHasTheConfigurationsOfNow() {
        result(OK);
        assertEquals(60, state.intervalSeconds());
        StateMachine reconfigured = new StateMachine(new StateMachine.Settings(3, 600, 25, 30, 2.5));
        Instant time = T0.plusSeconds(3600);
        state = reconfigured.apply(state, new CheckResult("r-late", "web-1", "disk", time, OK, "", "", null, null, null,
                null, 0, 0), WEB_1, time).orElseThrow().state();
        assertEquals(600, state.intervalSeconds());
        assertEquals(time.plusSeconds(1500), state.staleAfter(2.5, T0));
    }

    @Test
    void aLateResultsChangeOfStatusIsAtItsTimeAndWhatFollowsForPeopleAtTheServers() {
        result(CRITICAL, 1);
        Instant marked = T0.plusSeconds(3600);
        state = state.withStale(true).withAck(new Ack("user:alice", "looking", false, marked, null));
        Instant ran = marked.minusSeconds(5);
        Instant now = marked.plusSeconds(3);
        seq++;
        result(OK, 1, ran, now);
        assertEquals(List.of("HARD " + ran, "FRESH " + now, "ACK_ENDED " + now),
                changes.stream().map(change -> change.kind() + " " + change.time()).toList(),
                "after the stale mark and the acknowledgement the server made before it learnt of the result");
    }

    @Test
    void staleAfterIsTheIntervalTimesTheToleranceFromTheLatestResultOrLater() {
        result(OK);
        assertEquals(state.lastResult().plusSeconds(150), state.staleAfter(2.5, T0));
        Instant restart = state.lastResult().plusSeconds(3600);
        assertEquals(restart.plusSeconds(150), state.staleAfter(2.5, restart));
    }
}
