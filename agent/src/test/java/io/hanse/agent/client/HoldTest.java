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
        Hold hold = new Hold(PAUSE);
        hold.enter();
        hold.answered(problem(401, "the credentials are not valid"));
        hold.enter();
        hold.answered(problem(401, "the request was signed before the server started; sign it again"));

        long start = System.nanoTime();
        hold.enter();
        long waited = System.nanoTime() - start;
        assertTrue(waited > PAUSE.toNanos() / 2, "waited only " + Duration.ofNanos(waited).toMillis() + " ms");
    }

    @Test
    void anAnswerPastAuthenticationLetsTheAgentInAgainAtOnce() throws Exception {
        Hold hold = new Hold(PAUSE);
        hold.enter();
        hold.answered(problem(401, "the credentials are not valid"));
        hold.enter();
        hold.answered(problem(404, "no system 'web-1'"));

        long start = System.nanoTime();
        hold.enter();
        long waited = System.nanoTime() - start;
        assertTrue(waited < PAUSE.toNanos() / 2, "waited " + Duration.ofNanos(waited).toMillis() + " ms");
    }

    private static Reply problem(int status, String detail) {
        byte[] body = ("{\"status\":" + status + ",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
        return new Reply(status, body, Reply.PROBLEM_JSON, Optional.empty(), null);
    }
}
