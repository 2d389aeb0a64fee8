package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.spool.Outbox;
import io.hanse.agent.spool.Spool;
import io.hanse.testing.Distribution;
import io.hanse.testing.KernelDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.Test;

/**
 * The server killed with {@code kill -9} while an agent sends a burst of 10,000 observations:
 * after the restart every observation is stored exactly once, what the server acknowledged before
 * it died as well as what the agent's spool still held. Runs the built distribution on PostgreSQL
 * and the built agent program, as an operator would, outside Pax Exam: the test kills the server.
 */
public class AgentCrashIT {

    private static final int BURST = 10_000;
    private static final String TYPE = "itest.burst";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    public void everyObservationOfABurstIsStoredOnceThoughTheServerIsKilledInTheMiddle() throws Exception {
        try (KernelDatabase database = KernelDatabase.postgres();
                Distribution server = Distribution.unpack(Path.of(System.getProperty("hanse.distribution")))
                        .database(database.database().url(), "postgres").start()) {
            String token = server.adminToken();
            send(server.api(), token, "POST", "systems", "{\"slug\": \"burst\"}", 201);
            String enrollment = send(server.api(), token, "POST", "agents/enrollments",
                    "{\"agent\": \"burst\", \"systems\": [\"burst\"]}", 201).path("token").asText();
            Path state = Files.createTempDirectory("hanse-agent-crash");
            Path config = state.resolve("agent.conf");
            Files.writeString(config, String.join("\n",
                    "server = " + server.api().toString().replace("/api/v1/", ""),
                    "state.dir = " + state.resolve("state"),
                    "batch.max = 10",
                    "facts.system = burst",
                    "check.idle.command = /usr/lib/nagios/plugins/check_dummy 0 idle",
                    "check.idle.interval = 1h",
                    "check.idle.system = burst") + "\n");
            Process enroll = agent(List.of("enroll", "--config", config.toString(), "--token", "-"), enrollment);
            String said = new String(enroll.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(said, 0, enroll.waitFor());
            spoolBurst(state.resolve("state/spool"));

            Process run = new ProcessBuilder(command(List.of("run", "--config", config.toString())))
                    .redirectErrorStream(true).redirectOutput(state.resolve("agent.log").toFile()).start();
            try {
                long before = await(database, count -> count >= BURST / 10, "the burst to be under way");
                server.kill();
                long acknowledged = count(database);
                assertTrue("killed in the middle of the burst, at " + acknowledged, acknowledged < BURST);
                assertTrue(before <= acknowledged);

                server.start();
                await(database, count -> count == BURST, "the spool to deliver the rest");
                Thread.sleep(2_000);
                try (Connection connection = database.dataSource().getConnection();
                        Statement statement = connection.createStatement();
                        ResultSet row = statement.executeQuery("SELECT count(*), count(DISTINCT id)"
                                + " FROM hanse_event WHERE type = '" + TYPE + "'")) {
                    row.next();
                    assertEquals("stored exactly once", BURST, row.getLong(1));
                    assertEquals(BURST, row.getLong(2));
                }
                assertEquals("every sequence number", BURST, sequences(database));
            } finally {
                run.destroy();
                run.waitFor();
            }
        }
    }

    /** Spools the burst as the agent would have while the server was away. */
    private static void spoolBurst(Path directory) {
        long maxBytes = 64L * 1024 * 1024;
        try (Spool spool = Spool.open(directory, maxBytes, Spool.segmentBytesFor(maxBytes), Outbox::isRecord)) {
            Outbox outbox = new Outbox(spool, System.currentTimeMillis());
            for (int i = 1; i <= BURST; i++) {
                ObjectNode body = JSON.createObjectNode().put("n", i);
                outbox.put(TYPE, "burst", Instant.now(), body);
            }
        }
    }

    private static long await(KernelDatabase database, LongPredicate done, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            long count = count(database);
            if (done.test(count)) {
                return count;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("waited " + WAIT + " in vain for " + what + "; stored: " + count(database));
    }

    private static long count(KernelDatabase database) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM hanse_event WHERE type = '" + TYPE
                        + "'")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static long sequences(KernelDatabase database) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(DISTINCT (body::jsonb ->> 'n'))"
                        + " FROM hanse_event WHERE type = '" + TYPE + "'")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Process agent(List<String> arguments, String input) throws IOException {
        Process process = new ProcessBuilder(command(arguments)).redirectErrorStream(true).start();
        process.getOutputStream().write((input + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        return process;
    }

    private static List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-Xmx64m", "-jar", System.getProperty("hanse.agent")));
        command.addAll(arguments);
        return command;
    }

    private static JsonNode send(URI api, String token, String method, String path, String body, int status)
            throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api.resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(response.body(), status, response.statusCode());
        return JSON.readTree(response.body());
    }
}
