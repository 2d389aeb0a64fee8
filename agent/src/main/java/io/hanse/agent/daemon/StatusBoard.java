package io.hanse.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.client.Refusal;
import io.hanse.agent.common.Json;
import io.hanse.agent.common.StateFiles;
import io.hanse.agent.spool.SpoolStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the running daemon last did, written to {@code status.json} in the state directory after each
 * heartbeat and send, when the server begins or ends refusing the agent, and at least every heartbeat
 * interval (see {@link #keepFresh}) however few requests go through, so that {@code hanse-agent status}
 * can tell without talking to the daemon.
 * The file only informs: when it cannot be written (a full or read-only state file system) that is
 * logged once per kind of failure, and the heartbeat and the sender go on as timed.
 */
public final class StatusBoard {

    /** The status file's name in the state directory. */
    public static final String FILE = "status.json";

    private final Path file;
    private final long bootEpoch;
    private final Supplier<SpoolStats> spool;
    private final Supplier<Optional<Refusal>> refusal;
    private final LogOnce logOnce = new LogOnce();
    private long writtenAt = System.nanoTime();
    private Instant lastSend;
    private Instant lastHeartbeat;
    private Instant lastErrorTime;
    private String lastError;
    private long rejected;
    private Instant stopped;

    /**
     * Creates the board for the daemon that started at {@code bootEpoch}, its spool read through {@code spool}
     * and whether the server refuses it through {@code refusal}.
     */
    public StatusBoard(Path stateDir, long bootEpoch, Supplier<SpoolStats> spool,
            Supplier<Optional<Refusal>> refusal) {
        this.file = stateDir.resolve(FILE);
        this.bootEpoch = bootEpoch;
        this.spool = spool;
        this.refusal = refusal;
    }

    /**
     * Returns the status file's content, if the daemon ever wrote one.
     *
     * @throws UncheckedIOException if it exists but cannot be read
     */
    public static Optional<JsonNode> read(Path stateDir) {
        try {
            return Optional.of(Json.parse(Files.readAllBytes(stateDir.resolve(FILE))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stateDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Notes that the server took a batch. */
    synchronized void sent() {
        lastSend = now();
    }

    /** Notes a heartbeat the server answered. */
    synchronized void heartbeat() {
        lastHeartbeat = now();
    }

    /** Notes observations the server refused for good and that were dropped. */
    synchronized void rejected(long count) {
        rejected += count;
    }

    /** Notes the last thing that went wrong, already fit for a log line. */
    synchronized void failed(String problem) {
        lastErrorTime = now();
        lastError = problem;
    }

    /**
     * Writes the status file now that the server began refusing the agent, refuses it for another
     * reason or lets it in again; a refusal is also the last error, so that it stays told afterwards.
     */
    synchronized void refusalChanged() {
        refusal.get().ifPresent(refused -> failed("the server refuses this agent: " + refused.problem()));
        write();
    }

    /**
     * Writes the status file unless it was written less than {@code every} ago, and returns how long
     * until it should be written again: while no request gets through, or none is answered, nothing
     * else writes it, though the spool grows.
     */
    synchronized Duration keepFresh(Duration every) {
        long age = System.nanoTime() - writtenAt;
        if (age >= every.toNanos()) {
            write();
            return every;
        }
        return every.minusNanos(age);
    }

    /** Notes that the daemon stopped. */
    synchronized void stopped() {
        stopped = now();
    }

    /** Writes the status file, or logs (once per kind of failure) why it cannot. */
    synchronized void write() {
        writtenAt = System.nanoTime();
        SpoolStats stats = spool.get();
        ObjectNode json = Json.object();
        json.put("pid", ProcessHandle.current().pid());
        json.put("bootEpoch", bootEpoch);
        json.put("updated", now().toString());
        json.put("stopped", text(stopped));
        ObjectNode counts = json.putObject("spool");
        counts.put("pendingRecords", stats.pendingRecords());
        counts.put("pendingBytes", stats.pendingBytes());
        counts.put("dropped", stats.dropped());
        counts.put("torn", stats.torn());
        counts.put("unwritten", stats.unwritten());
        counts.put("rejected", rejected);
        json.put("lastSend", text(lastSend));
        json.put("lastHeartbeat", text(lastHeartbeat));
        ObjectNode error = json.putObject("lastError");
        error.put("time", text(lastErrorTime));
        error.put("message", lastError);
        Optional<Refusal> refused = refusal.get();
        if (refused.isPresent()) {
            json.putObject("refused").put("since", text(refused.get().since())).put("problem", refused.get().problem());
        } else {
            json.putNull("refused");
        }
        try {
            StateFiles.writeAtomically(file, Json.prettyBytes(json), false);
        } catch (UncheckedIOException e) {
            logOnce.warn("the status file is not kept up to date: " + e.getMessage());
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
