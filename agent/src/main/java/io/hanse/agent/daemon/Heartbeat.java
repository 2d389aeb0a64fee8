package io.hanse.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.client.HanseClient;
import io.hanse.agent.client.Reply;
import io.hanse.agent.common.Json;
import io.hanse.agent.common.Log;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.spool.Outbox;
import io.hanse.agent.spool.SpoolStats;
import java.util.Objects;

/**
 * Tells the server the agent is alive: at start, then every {@code heartbeatSeconds} the server
 * asks for, held between {@link #MIN_SECONDS} and {@link #MAX_SECONDS} whatever it asks. Each beat
 * also writes the status file.
 */
final class Heartbeat implements Runnable {

    /** The shortest interval a server can ask for. */
    static final long MIN_SECONDS = 5;
    /** The longest interval a server can ask for. */
    static final long MAX_SECONDS = 300;
    private static final long DEFAULT_SECONDS = 30;

    private final HanseClient client;
    private final AgentConfig config;
    private final Outbox outbox;
    private final StatusBoard status;
    private final String version;
    private final String hostname;
    private final Timing timing;
    private volatile long intervalSeconds = DEFAULT_SECONDS;
    private String lastProblem;

    Heartbeat(HanseClient client, AgentConfig config, Outbox outbox, StatusBoard status, String version,
            String hostname, Timing timing) {
        this.client = client;
        this.config = config;
        this.outbox = outbox;
        this.status = status;
        this.version = version;
        this.hostname = hostname;
        this.timing = timing;
    }

    /** Returns the interval the server's answer asks for, clamped, or {@code current} if it asks for none. */
    static long interval(JsonNode answer, long current) {
        JsonNode asked = answer.path("heartbeatSeconds");
        if (!asked.isNumber()) {
            return current;
        }
        return Math.max(MIN_SECONDS, Math.min(MAX_SECONDS, asked.asLong()));
    }

    /** Returns the interval between beats the server asks for, clamped, or the default until it answered. */
    long intervalSeconds() {
        return intervalSeconds;
    }

    @Override
    public void run() {
        Loop.repeat("the heartbeat", new Backoff(timing), () -> {
            beat();
            Thread.sleep(intervalSeconds * 1000);
        });
    }

    private void beat() throws InterruptedException {
        Reply reply = client.post("agents/self/heartbeat", body());
        if (reply.ok()) {
            intervalSeconds = interval(reply.json(), intervalSeconds);
            status.heartbeat();
            if (lastProblem != null) {
                Log.info("heartbeat answered again");
                lastProblem = null;
            }
        } else {
            String problem = "heartbeat failed: " + reply.problem();
            if (!Objects.equals(problem, lastProblem)) {
                Log.warn(problem);
                lastProblem = problem;
            }
            status.failed(problem);
        }
        status.write();
    }

    /**
     * The heartbeat as the protocol describes it: version, boot, host, capabilities, checks and spool,
     * whose {@code dropped} counts every observation lost: dropped, torn or unwritten.
     */
    private byte[] body() {
        ObjectNode json = Json.object();
        json.put("version", version);
        json.put("bootEpoch", outbox.bootEpoch());
        json.put("hostname", hostname);
        ArrayNode capabilities = json.putArray("capabilities");
        config.work().forEach(work -> capabilities.add(work.type()));
        ArrayNode checks = json.putArray("checks");
        config.checks().forEach(check -> checks.addObject()
                .put("name", check.name())
                .put("system", check.system())
                .put("intervalSeconds", check.interval().toSeconds()));
        SpoolStats stats = outbox.stats();
        json.putObject("spool").put("pending", stats.pendingRecords()).put("dropped", stats.lost());
        return Json.bytes(json);
    }
}
