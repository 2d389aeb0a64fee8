package io.hanse.kernel.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.UnavailableException;
import io.hanse.api.agent.Desire;
import io.hanse.kernel.agents.internal.DesireBoard.Offered;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Desires: handed once to the agents of their system, at once or to a waiting poll, within bounds. */
class DesireBoardTest {

    private final AgentFixture fixture = new AgentFixture();
    private final DesireBoard board = new DesireBoard(fixture.registry, AgentFixture.CONFIG, fixture.clock);
    private final TestCaller operator = TestCaller.everywhere("alice");

    @AfterEach
    void stop() {
        board.stop();
    }

    @Test
    void aDesireGoesToTheAgentsOfItsSystemOnceEach() throws Exception {
        fixture.enroll("web-1", "web-1");
        fixture.enroll("web-2", "web-2");

        assertEquals(List.of("web-1"), board.publish(operator, new Desire(Desire.REFRESH_CHECK, "web-1", "load",
                null)));

        List<Offered> first = poll("web-1", Duration.ZERO);
        assertEquals(1, first.size());
        assertEquals("load", first.get(0).check());
        assertEquals("alice", first.get(0).by());
        assertTrue(poll("web-1", Duration.ZERO).isEmpty(), "handed once");
        assertTrue(poll("web-2", Duration.ZERO).isEmpty(), "not another system's agent");
    }

    @Test
    void aDesireForAPollWhoseRequestIsGoneWaitsForTheNextPoll() throws Exception {
        fixture.enroll("web-1", "web-1");
        // As Jersey answers a poll taken by a REST API that has restarted since.
        Consumer<List<Offered>> gone = offered -> {
            throw new IllegalStateException("ServiceLocatorImpl has been shut down");
        };
        board.poll("web-1", Duration.ofSeconds(30), gone);

        assertEquals(List.of("web-1"), board.publish(operator, new Desire(Desire.REFRESH_FACTS, "web-1", null,
                null)));

        List<Offered> next = poll("web-1", Duration.ZERO);
        assertEquals(List.of(Desire.REFRESH_FACTS), next.stream().map(Offered::kind).toList());
        board.poll("web-1", Duration.ofSeconds(30), gone);
        board.stop(); // answers the waiting poll with nothing, which fails as quietly
    }

    @Test
    void aWaitingPollIsAnsweredWhenADesireArrivesOrWhenItsWaitIsOver() throws Exception {
        fixture.enroll("web-1", "web-1");
        CompletableFuture<List<Offered>> waiting = new CompletableFuture<>();
        board.poll("web-1", Duration.ofSeconds(30), waiting::complete);
        assertTrue(!waiting.isDone());

        board.publish(operator, new Desire(Desire.REFRESH_FACTS, "web-1", null, null));

        assertEquals(Desire.REFRESH_FACTS, waiting.get(5, TimeUnit.SECONDS).get(0).kind());
        CompletableFuture<List<Offered>> quiet = new CompletableFuture<>();
        board.poll("web-1", Duration.ofMillis(50), quiet::complete);
        assertTrue(quiet.get(5, TimeUnit.SECONDS).isEmpty());
    }

    @Test
    void queuesAndPollsAreBounded() throws Exception {
        fixture.enroll("web-1", "web-1");
        for (String check : List.of("a", "b", "c", "d")) {
            board.publish(operator, new Desire(Desire.REFRESH_CHECK, "web-1", check, null));
        }
        board.publish(operator, new Desire(Desire.REFRESH_CHECK, "web-1", "d", null));

        assertEquals(List.of("b", "c", "d"), poll("web-1", Duration.ZERO).stream().map(Offered::check).toList(),
                "the oldest went first, and a repeated wish is kept once");

        board.poll("web-1", Duration.ofSeconds(30), offered -> { });
        board.poll("db-1", Duration.ofSeconds(30), offered -> { });
        CompletableFuture<List<Offered>> third = new CompletableFuture<>();
        UnavailableException refused = assertThrows(UnavailableException.class,
                () -> board.poll("web-2", Duration.ofSeconds(30), third::complete),
                "past the bound a poll is told to come back, not answered empty to ask again at once");
        assertTrue(refused.getMessage().contains("2 polls for desires wait already"), refused.getMessage());
        assertFalse(third.isDone());
        assertEquals(List.of(), poll("web-2", Duration.ZERO), "a poll that does not wait is still answered");
    }

    @Test
    void anAgentWaitsInOnePollAtATimeTheNewestAndTakesNoOthersPlace() throws Exception {
        fixture.enroll("web-1", "web-1");
        CompletableFuture<List<Offered>> given = new CompletableFuture<>();
        board.poll("web-1", Duration.ofSeconds(30), given::complete);
        for (int i = 0; i < 5; i++) {
            board.poll("web-1", Duration.ofSeconds(30), offered -> { });
        }
        CompletableFuture<List<Offered>> newest = new CompletableFuture<>();
        board.poll("web-1", Duration.ofSeconds(30), newest::complete);
        assertEquals(List.of(), given.get(5, TimeUnit.SECONDS), "a poll its agent gave up is answered empty");
        board.poll("db-1", Duration.ofSeconds(30), offered -> { });

        board.publish(operator, new Desire(Desire.REFRESH_FACTS, "web-1", null, null));
        assertEquals(Desire.REFRESH_FACTS, newest.get(5, TimeUnit.SECONDS).get(0).kind());
    }

    @Test
    void aPollAnsweredBeforeItsWaitIsOverIsNotHeldUntilThen() throws Exception {
        fixture.enroll("web-1", "web-1");
        CompletableFuture<List<Offered>> given = new CompletableFuture<>();
        board.poll("web-1", Duration.ofSeconds(60), given::complete);
        board.poll("web-1", Duration.ofSeconds(60), offered -> { });
        assertEquals(List.of(), given.get(5, TimeUnit.SECONDS));

        assertEquals(1, board.timeoutsScheduled(),
                "an agent polling in a loop would have each answered request kept for a minute");
    }

    @Test
    void aPollPastTheBoundComesBackAfterAboutItsWaitAtRandomUnlessADesireIsThere() throws Exception {
        fixture.enroll("web-1", "web-1");
        fixture.enroll("web-2", "web-2");
        board.poll("web-1", Duration.ofSeconds(30), offered -> { });
        board.poll("db-1", Duration.ofSeconds(30), offered -> { });

        Set<Long> waits = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Duration wait = assertThrows(UnavailableException.class,
                    () -> board.poll("web-2", Duration.ofSeconds(30), offered -> { })).retryAfter().orElseThrow();
            assertTrue(wait.toSeconds() >= 15 && wait.toSeconds() <= 45, wait.toString());
            waits.add(wait.toSeconds());
        }
        assertTrue(waits.size() > 5, "spread: " + waits);
        board.publish(operator, new Desire(Desire.REFRESH_FACTS, "web-2", null, null));
        assertEquals(1, poll("web-2", Duration.ofSeconds(30)).size(), "what is there is handed at once");
    }

    @Test
    void desiresNeedThePermissionAnAgentOnTheSystemAndSaneContent() {
        fixture.enroll("web-1", "web-1");

        assertThrows(ForbiddenException.class, () -> board.publish(TestCaller.on("bob", Set.of("db-1"),
                "agents:desire"), new Desire(Desire.REFRESH_FACTS, "web-1", null, null)));
        assertThrows(ConflictException.class, () -> board.publish(operator,
                new Desire(Desire.REFRESH_FACTS, "db-1", null, null)));
        assertThrows(ConflictException.class, () -> board.publish(operator,
                new Desire(Desire.REFRESH_FACTS, "web-1", null, "web-2")));
        assertThrows(InvalidRequestException.class, () -> new Desire("run-command", "web-1", null, null));
        assertThrows(InvalidRequestException.class, () -> new Desire(Desire.REFRESH_CHECK, "web-1",
                "load; rm -rf /", null));
        assertThrows(InvalidRequestException.class, () -> new Desire(Desire.REFRESH_CHECK, "web-1", null, null));
    }

    private List<Offered> poll(String agent, Duration wait) throws Exception {
        CompletableFuture<List<Offered>> answer = new CompletableFuture<>();
        board.poll(agent, wait, answer::complete);
        return answer.get(5, TimeUnit.SECONDS);
    }
}
