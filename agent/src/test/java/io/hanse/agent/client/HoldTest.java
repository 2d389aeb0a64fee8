package io.hanse.agent.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HoldTest {

    private static final Duration PAUSE = Duration.ofSeconds(2);

    @Test
    void aRefusedAgentAskedToSignAgainIsStillRefusedAndWaitsOutThePause() throws Exception {
        Duration waited = waitedAfterARefusalAnd(problem(401, "the request was signed before the server started;"
                + " sign it again"));
        assertTrue(waited.compareTo(PAUSE.dividedBy(2)) > 0, "waited only " + waited.toMillis() + " ms");
    }

    @Test
    void anAnswerPastAuthenticationLetsTheAgentInAgainAtOnce() throws Exception {
        Duration waited = waitedAfterARefusalAnd(problem(404, "no system 'web-1'"));
        assertTrue(waited.compareTo(PAUSE.dividedBy(2)) < 0, "waited " + waited.toMillis() + " ms");
    }

    /** How long a request waits once the agent was refused and the request let through the pause had that answer. */
    private static Duration waitedAfterARefusalAnd(Reply answer) throws InterruptedException {
        Hold hold = new Hold(PAUSE);
        hold.enter();
        hold.answered(problem(401, "the credentials are not valid"));
        hold.enter();
        hold.answered(answer);
        long start = System.nanoTime();
        hold.enter();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Reply problem(int status, String detail) {
        byte[] body = ("{\"status\":" + status + ",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
        return new Reply(status, body, Reply.PROBLEM_JSON, Optional.empty(), null);
    }
}
