package io.hanse.agent.testing;

import io.hanse.agent.Main;
import io.hanse.agent.cli.Console;
import io.hanse.agent.client.HanseClient;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.daemon.Timing;
import io.hanse.agent.identity.AgentKey;
import io.hanse.agent.identity.RequestSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** An agent's configuration and command line for tests: in a temporary directory, against a fake server. */
public final class TestAgent {

    private TestAgent() {
    }

    /** What a command printed and returned. */
    public record Outcome(int exitCode, String out, String err) {
    }

    /** Writes {@code dir/agent.conf} for {@code server}, with its state in {@code dir/state}, and returns it. */
    public static Path config(Path dir, URI server, String... lines) {
        List<String> all = new ArrayList<>(List.of("server = " + server, "state.dir = " + dir.resolve("state")));
        all.addAll(List.of(lines));
        try {
            Files.createDirectories(dir);
            return Files.write(dir.resolve("agent.conf"), all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code hanse-agent} with {@code args}, {@code stdin} as its input and {@code env} as its environment. */
    public static Outcome run(String stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new Console(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Enrolls with the fake server's token, given in the environment. */
    public static Outcome enroll(Path config) {
        return run("", Map.of("HANSE_ENROLL_TOKEN", FakeHanse.TOKEN), "enroll", "--config", config.toString());
    }

    /** Enrolls the agent {@code config} describes and returns a client that signs with its key. */
    public static HanseClient enrolledClient(Path config) {
        Outcome enrolled = enroll(config);
        if (enrolled.exitCode() != 0) {
            throw new IllegalStateException("enrollment failed: " + enrolled.err());
        }
        AgentConfig agent = AgentConfig.load(config);
        return new HanseClient(agent.restRoot(), new RequestSigner(AgentKey.load(agent.stateDir()), Clock.systemUTC()),
                "test", Duration.ofMillis(200));
    }

    /** Waits short enough for a test: backoff from 20 ms to 200 ms, no gap between desired runs, polls of 1 s. */
    public static Timing fastTiming(RandomGenerator random) {
        return new Timing(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ZERO, Duration.ofMillis(100),
                Duration.ofMillis(20), Duration.ofSeconds(1), random);
    }

    /** A randomness that always picks zero: first scheduled runs come at once. */
    public static RandomGenerator earliest() {
        return () -> 0;
    }

    /** A randomness that always picks the largest value: first scheduled runs come at the end of their interval. */
    public static RandomGenerator latest() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return Long.MAX_VALUE;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
    }
}
