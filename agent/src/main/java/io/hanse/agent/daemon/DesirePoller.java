package io.hanse.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.agent.client.HanseClient;
import io.hanse.agent.client.Reply;
import io.hanse.agent.common.Json;
import io.hanse.agent.common.Log;
import io.hanse.agent.common.Text;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.config.CheckSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Long-polls the server's desires and decides on each. The server may only wish: a
 * {@code refresh-check} runs a check the configuration already holds, chosen by its exact name (and
 * only if the desire's system, when it names one, is the check's); a {@code refresh-facts} collects
 * facts. Both at most once per {@link Timing#refreshGap()}, counted from the last desire that
 * started one. Every other kind, and every field the
 * agent does not know, is ignored: nothing the server sends ever becomes a command.
 */
final class DesirePoller implements Runnable {

    /** How many desires of one answer are read; the rest are ignored. */
    static final int MAX_DESIRES = 100;
    /** How much longer than the poll's wait the agent waits for the answer. */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(15);
    private static final int MAX_NAME_CHARS = 200;
    private static final String FACTS_KEY = " facts";

    private final HanseClient client;
    private final AgentConfig config;
    private final CheckScheduler scheduler;
    private final RateLimiter limiter;
    private final Timing timing;
    private final Backoff backoff;
    private final LogOnce logOnce = new LogOnce();
    private String lastProblem;

    DesirePoller(HanseClient client, AgentConfig config, CheckScheduler scheduler, RateLimiter limiter,
            Timing timing) {
        this.client = client;
        this.config = config;
        this.scheduler = scheduler;
        this.limiter = limiter;
        this.timing = timing;
        this.backoff = new Backoff(timing);
    }

    @Override
    public void run() {
        Loop.repeat("polling desires", backoff, () -> Thread.sleep(poll().toMillis()));
    }

    /**
     * Returns how long to wait before the next poll after an answer that came after {@code elapsed}:
     * the rest of {@code minPollGap}, so that a server that answers at once cannot make the agent
     * spin; after an empty answer the rest of the wait asked for, so that a server that answers
     * "nothing" early (too many polls waiting, a restart) is not asked again at once.
     */
    static Duration pause(boolean empty, Duration elapsed, Timing timing) {
        Duration least = empty && timing.pollWait().compareTo(timing.minPollGap()) > 0 ? timing.pollWait()
                : timing.minPollGap();
        Duration rest = least.minus(elapsed);
        return rest.isNegative() ? Duration.ZERO : rest;
    }

    /** Polls once, acts on what came, and returns how long to wait before the next poll. */
    private Duration poll() throws InterruptedException {
        long started = System.nanoTime();
        Reply reply = client.get("agents/self/desires?wait=" + timing.pollWait().toSeconds(),
                timing.pollWait().plus(ANSWER_GRACE));
        if (reply.status() != 200) {
            String problem = "cannot poll desires: " + reply.problem();
            if (!Objects.equals(problem, lastProblem)) {
                Log.warn(problem);
                lastProblem = problem;
            }
            return backoff.next(reply);
        }
        backoff.reset();
        lastProblem = null;
        boolean empty = handle(reply.json()) == 0;
        return pause(empty, Duration.ofNanos(System.nanoTime() - started), timing);
    }

    /** Acts on the desires of one answer; returns how many it read. */
    private int handle(JsonNode answer) {
        JsonNode desires = answer.path("desires");
        if (!desires.isArray()) {
            logOnce.warn("desires: the server's answer holds no list of desires; ignored");
            return 0;
        }
        if (desires.size() > MAX_DESIRES) {
            logOnce.warn("desires: the server sent " + desires.size() + " at once; only the first " + MAX_DESIRES
                    + " are read");
        }
        int read = Math.min(MAX_DESIRES, desires.size());
        for (int i = 0; i < read; i++) {
            act(desires.get(i));
        }
        return read;
    }

    private void act(JsonNode desire) {
        String kind = Json.text(desire, "kind", MAX_NAME_CHARS).orElse("");
        switch (kind) {
            case "refresh-check":
                refreshCheck(desire);
                break;
            case "refresh-facts":
                if (limiter.tryStart(FACTS_KEY, scheduler::collectFactsNow)) {
                    Log.info("desire " + origin(desire) + ": collecting facts now");
                }
                break;
            default:
                logOnce.warn("desires: ignoring the unknown kind \"" + Text.printable(kind, 60) + "\"");
        }
    }

    private void refreshCheck(JsonNode desire) {
        String name = Json.text(desire, "check", MAX_NAME_CHARS).orElse("");
        Optional<CheckSpec> check = config.check(name);
        if (check.isEmpty()) {
            logOnce.warn("desires: ignoring refresh-check of \"" + Text.printable(name, 60)
                    + "\": no check of that name is configured");
            return;
        }
        JsonNode system = desire.path("system");
        if (!system.isMissingNode() && !system.isNull() && !check.get().system().equals(system.asText())) {
            logOnce.warn("desires: ignoring refresh-check of " + name + " about \""
                    + Text.printable(system.asText(), 60) + "\": the check is about " + check.get().system());
            return;
        }
        if (limiter.tryStart(name, () -> scheduler.runNow(check.get()))) {
            Log.info("desire " + origin(desire) + ": running check " + name + " now");
        }
    }

    private static String origin(JsonNode desire) {
        return Text.printable(Json.text(desire, "id", MAX_NAME_CHARS).orElse("?"), 60) + " by "
                + Text.printable(Json.text(desire, "by", MAX_NAME_CHARS).orElse("?"), 60);
    }
}
