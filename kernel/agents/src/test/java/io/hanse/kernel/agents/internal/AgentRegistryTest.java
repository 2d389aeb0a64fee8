package io.hanse.kernel.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.status.Status;
import io.hanse.api.timeline.Event;
import io.hanse.kernel.agents.internal.AgentRegistry.Heartbeat;
import io.hanse.kernel.security.AgentIdentities.Identity;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Liveness: agents that fall silent are lost, with events and "no data"; their return is marked too. */
class AgentRegistryTest {

    private final AgentFixture fixture = new AgentFixture();
    private final AgentRegistry registry = fixture.registry;

    @Test
    void aHeartbeatOrTimeToLiveNotAllowedIsLoggedAndTheOneInUseStaysWhileAChangeAppliesInPlace() {
        AgentRegistry configured = new AgentRegistry(fixture.identities, fixture.store, fixture.timeline,
                AgentFixture.config(0, 90, 1000), fixture.clock, false);
        assertEquals(Duration.ofSeconds(30), configured.intervals().heartbeat());
        assertEquals(List.of("etc/io.hanse.agents.cfg: heartbeatSeconds = 0 is below 1; using 30"),
                AgentFixture.problems());

        configured.modified(AgentFixture.config(10, 40, 1000));
        assertEquals(Duration.ofSeconds(10), configured.intervals().heartbeat());
        assertEquals(Duration.ofSeconds(40), configured.intervals().ttl());
        assertEquals(List.of(), AgentFixture.problems());

        configured.modified(AgentFixture.config(60, 45, 1000));
        assertEquals(Duration.ofSeconds(10), configured.intervals().heartbeat());
        assertEquals(Duration.ofSeconds(40), configured.intervals().ttl());
        assertEquals(List.of("etc/io.hanse.agents.cfg: heartbeatSeconds = 60, ttlSeconds = 45: ttlSeconds must be"
                + " longer than heartbeatSeconds; using heartbeatSeconds = 10, ttlSeconds = 40"),
                AgentFixture.problems());
        // The problems are kept for the whole JVM: none is left for the other tests.
        configured.modified(AgentFixture.CONFIG);
    }

    @Test
    void anAgentSilentPastItsTimeToLiveIsLostAndComesBack() {
        Identity web = fixture.enroll("web-1", "web-1", "web-2");
        registry.seen(web);
        registry.scan();
        assertEquals(Status.OK, fixture.status.status("web-1"));
        assertTrue(fixture.timeline.events().isEmpty());

        fixture.clock.advance(Duration.ofSeconds(91));
        registry.scan();

        List<Event> lost = fixture.timeline.ofType(AgentRegistry.LOST);
        assertEquals(List.of("web-1", "web-2"), lost.stream().map(Event::system).toList());
        assertTrue(lost.get(0).body().contains("\"agent\":\"web-1\""));
        assertEquals(Status.NO_DATA, fixture.status.status("web-2"));
        assertEquals("lost", registry.agents().get(0).state());

        registry.scan();
        assertEquals(2, fixture.timeline.events().size(), "lost once, not at every scan");

        registry.seen(web);
        registry.scan();
        assertEquals(List.of("web-1", "web-2"),
                fixture.timeline.ofType(AgentRegistry.BACK).stream().map(Event::system).toList());
        assertEquals(Status.OK, fixture.status.status("web-1"));
        assertEquals("alive", registry.agents().get(0).state());
    }

    @Test
    void aSystemHasDataWhileAnyOfItsAgentsIsAlive() {
        Identity one = fixture.enroll("one", "db-1");
        Identity two = fixture.enroll("two", "db-1");
        registry.seen(one);
        fixture.clock.advance(Duration.ofSeconds(60));
        registry.seen(two);
        fixture.clock.advance(Duration.ofSeconds(60));

        registry.scan();
        assertEquals(Status.OK, fixture.status.status("db-1"), "two still reports");
        fixture.clock.advance(Duration.ofSeconds(60));
        registry.scan();
        assertEquals(Status.NO_DATA, fixture.status.status("db-1"));
    }

    @Test
    void aRevokedAgentsStatusIsWithdrawn() {
        fixture.enroll("web-1", "web-1");
        registry.scan();
        assertEquals(Status.OK, fixture.status.status("web-1"));

        fixture.enrolled.clear();
        registry.scan();

        assertEquals(null, fixture.status.status("web-1"));
        assertTrue(registry.agents().isEmpty());
    }

    @Test
    void lostStaysLostAcrossARestartWithoutASecondEvent() {
        Identity web = fixture.enroll("web-1", "web-1");
        fixture.clock.advance(Duration.ofSeconds(100));
        registry.scan();
        registry.flush();
        assertEquals(1, fixture.timeline.ofType(AgentRegistry.LOST).size());

        AgentRegistry restarted = fixture.restart();
        restarted.scan();

        assertEquals(1, fixture.timeline.ofType(AgentRegistry.LOST).size());
        assertEquals("lost", restarted.agents().get(0).state());
        assertEquals(web.id(), fixture.stored.values().iterator().next().principal());
    }

    @Test
    void aServerDownLongerThanTheTimeToLiveDoesNotMakeItsAgentsLost() {
        Identity web = fixture.enroll("web-1", "web-1");
        registry.seen(web);
        registry.flush();
        fixture.clock.advance(Duration.ofMinutes(10));

        AgentRegistry restarted = fixture.restart();
        restarted.scan();
        assertTrue(fixture.timeline.events().isEmpty(), "nobody could hear it while the server was down");
        assertEquals("alive", restarted.agents().get(0).state());

        fixture.clock.advance(Duration.ofSeconds(91));
        restarted.scan();
        assertEquals(1, fixture.timeline.ofType(AgentRegistry.LOST).size(), "silent a full time to live since");
    }

    @Test
    void stoppingWhileTheDatabaseIsAwayDoesNotFailAndLeavesTheLastSave() throws InterruptedException {
        Identity web = fixture.enroll("web-1", "web-1");
        fixture.clock.advance(Duration.ofSeconds(10));
        registry.seen(web);
        registry.flush();
        fixture.clock.advance(Duration.ofSeconds(20));
        registry.seen(web);
        fixture.storeAway = true;

        registry.deactivate();

        assertEquals(fixture.clock.instant().minusSeconds(20), fixture.stored.get(web.id()).lastSeen(),
                "the last save's");
    }

    @Test
    void heartbeatsAreKeptAndCheckedAndOnlyEnrolledAgentsAreKnown() {
        Identity web = fixture.enroll("web-1", "web-1");
        registry.heartbeat(web, new Heartbeat("0.1.0", 1_764_900_000_000L, "web-1.example", List.of("probe.http"),
                "[{\"name\":\"load\"}]", 3, 1));
        registry.flush();

        assertEquals("0.1.0", fixture.stored.get(web.id()).version());
        assertEquals(List.of("probe.http"), fixture.stored.get(web.id()).capabilities());
        assertEquals(3, registry.agents(TestCaller.on("viewer", Set.of("web-1"), "agents:read")).get(0)
                .reported().spoolPending());
        assertTrue(registry.agents(TestCaller.on("viewer", Set.of("db-1"), "agents:read")).isEmpty());
        assertEquals(web, registry.identity("web-1"));
        assertThrows(ForbiddenException.class, () -> registry.identity("stranger"));
        assertThrows(InvalidRequestException.class, () -> new Heartbeat("", 0, null, null, null, 0, 0));
        assertThrows(InvalidRequestException.class,
                () -> new Heartbeat("1", 0, null, List.of("rm -rf /"), null, 0, 0));
        assertThrows(InvalidRequestException.class, () -> new Heartbeat("1", -1, null, null, null, 0, 0));
    }

    @Test
    void aCallerWhoReadsSomeOfAnAgentsSystemsSeesOnlyTheirChecks() {
        Identity agent = fixture.enroll("node-1", "db-1", "web-1");
        String checks = "[{\"name\":\"load\",\"system\":\"web-1\"},{\"name\":\"wal\",\"system\":\"db-1\"},"
                + "{\"name\":\"nowhere\"}]";
        registry.heartbeat(agent, new Heartbeat("0.1.0", 1, null, null, checks, 0, 0));

        AgentRegistry.AgentView web = registry.agents(TestCaller.on("viewer", Set.of("web-1"), "agents:read")).get(0);
        assertEquals(List.of("web-1"), web.identity().systems());
        assertEquals("[{\"name\":\"load\",\"system\":\"web-1\"}]", web.reported().checks());
        assertEquals(checks, registry.agents(TestCaller.on("admin", Set.of("web-1", "db-1"), "agents:read")).get(0)
                .reported().checks(), "all of them, as said, to who reads all its systems");
    }

    @Test
    void aHeartbeatsCapabilitiesAreBoundedAndEachNamedWhenWrong() {
        String withNull = assertThrows(InvalidRequestException.class, () -> new Heartbeat("1", 0, null,
                Arrays.asList("probe.http", null), null, 0, 0)).getMessage();
        assertTrue(withNull.startsWith("capabilities[1] is not a work type"), withNull);
        List<String> many = IntStream.rangeClosed(0, 100).mapToObj(i -> "probe.t" + i).toList();
        String tooMany = assertThrows(InvalidRequestException.class,
                () -> new Heartbeat("1", 0, null, many, null, 0, 0)).getMessage();
        assertEquals("capabilities name at most 100 work types, not 101", tooMany);
        List<String> long40 = IntStream.range(0, 40).mapToObj(i -> "probe.t" + i + "-" + "x".repeat(90)).toList();
        String tooLong = assertThrows(InvalidRequestException.class,
                () -> new Heartbeat("1", 0, null, long40, null, 0, 0)).getMessage();
        assertTrue(tooLong.matches("capabilities take 4\\d{3} characters as a JSON array; at most 4000"), tooLong);
        assertEquals(List.of("probe.http", "probe.ping"), new Heartbeat("1", 0, null,
                List.of("probe.ping", "probe.http", "probe.ping"), null, 0, 0).capabilities());
    }
}
