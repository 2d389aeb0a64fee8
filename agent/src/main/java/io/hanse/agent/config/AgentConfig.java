package io.hanse.agent.config;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The agent's configuration, valid by construction: {@link #load} reports every problem of a file
 * at once, and a configuration with problems never runs. A check whose program cannot run (not
 * installed yet, say) is no problem but a warning: it reports UNKNOWN, saying why, until it can run.
 *
 * @param server the Hanse instance, such as {@code http://127.0.0.1:8181}; its REST root is {@link #restRoot()}
 * @param stateDir where the key, identity, spool and status file live
 * @param spoolMaxBytes how large the spool may grow before the oldest observations are dropped
 * @param batchMax observations per request, 1 to 1000
 * @param factsInterval how often inventory facts are collected
 * @param factsSystem the system facts are about, or {@code null} for the first enrolled system
 * @param checks the configured checks, in file order
 * @param work the configured work-lease handlers, in file order
 * @param warnings one message per check whose program could not run when the file was read, in file order, each
 *     naming the line and key
 */
public record AgentConfig(URI server, Path stateDir, long spoolMaxBytes, int batchMax, Duration factsInterval,
        String factsSystem, List<CheckSpec> checks, List<WorkSpec> work, List<String> warnings) {

    /** Where the configuration is read from when {@code --config} does not say. */
    public static final Path DEFAULT_FILE = Path.of("/etc/hanse-agent/agent.conf");

    /** Copies the lists so that the configuration stays immutable. */
    public AgentConfig {
        checks = List.copyOf(checks);
        work = List.copyOf(work);
        warnings = List.copyOf(warnings);
    }

    /**
     * Reads and checks the configuration in {@code file}.
     *
     * @throws InvalidConfigException naming every problem, if there is any (an unreadable file is one)
     */
    public static AgentConfig load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidConfigException(file.toString(), List.of("cannot read the file: " + e));
        }
        return ConfigReader.read(file.toString(), utf8(file, bytes).lines().toList());
    }

    /** Returns the file's text, or names the first line that is not UTF-8 (a decoder alone says no more than that). */
    private static String utf8(Path file, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        if (StandardCharsets.UTF_8.newDecoder().decode(in, out, true).isError()) {
            long line = 1 + IntStream.range(0, in.position()).filter(i -> bytes[i] == '\n').count();
            throw new InvalidConfigException(file.toString(), List.of("line " + line + ": not UTF-8"));
        }
        return out.flip().toString();
    }

    /** Returns the REST root the protocol's paths are relative to: {@code <server>/api/v1}. */
    public URI restRoot() {
        String base = server.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1");
    }

    /** Returns the check named exactly {@code name}, if the configuration holds one. */
    public Optional<CheckSpec> check(String name) {
        return checks.stream().filter(check -> check.name().equals(name)).findFirst();
    }
}
