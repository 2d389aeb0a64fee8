package io.hanse.agent.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.common.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Observations on their way to the server, kept in a {@link Spool}. Each gets its identity when it
 * is spooled, this process's boot epoch and the next sequence number, so that it is the same
 * observation however often it is sent; batches never mix boot epochs.
 */
public final class Outbox {

    /** Payload bytes per batch, below the server's default request limit of 1 MiB. */
    private static final long MAX_BATCH_BYTES = 900 * 1024;

    private final Spool spool;
    private final long bootEpoch;
    private long nextSeq = 1;

    /** Creates the outbox for the process that started at {@code bootEpoch} (milliseconds). */
    public Outbox(Spool spool, long bootEpoch) {
        this.spool = spool;
        this.bootEpoch = bootEpoch;
    }

    /**
     * Returns whether a spool record's payload is an observation this class wrote: the {@link Spool#open} validator.
     */
    public static boolean isRecord(byte[] payload) {
        JsonNode json = Json.parse(payload);
        return json.path("bootEpoch").canConvertToLong() && json.path("observation").path("seq").canConvertToLong()
                && json.path("observation").path("body").isObject();
    }

    /** Spools an observation, forced to disk, and returns it with the identity it got. */
    public synchronized Observation put(String type, String system, Instant time, ObjectNode body) {
        Observation observation = new Observation(nextSeq, type, system, time.truncatedTo(ChronoUnit.MILLIS), body);
        ObjectNode record = Json.object();
        record.put("bootEpoch", bootEpoch);
        record.set("observation", observation.toJson());
        spool.append(Json.bytes(record));
        nextSeq++;
        return observation;
    }

    /**
     * Returns the oldest unsent observations, at most {@code max}, all of one boot epoch; waits up to
     * {@code waitMillis} for one and returns an empty batch if none came.
     */
    public Batch next(int max, long waitMillis) throws InterruptedException {
        List<SpoolEntry> entries = spool.read(max, MAX_BATCH_BYTES, waitMillis);
        List<JsonNode> observations = new ArrayList<>();
        List<SpoolEntry> taken = new ArrayList<>();
        long epoch = 0;
        for (SpoolEntry entry : entries) {
            JsonNode record = Json.parse(entry.payload());
            long recordEpoch = record.path("bootEpoch").longValue();
            if (!taken.isEmpty() && recordEpoch != epoch) {
                break;
            }
            epoch = recordEpoch;
            observations.add(record.path("observation"));
            taken.add(entry);
        }
        return new Batch(epoch, observations, taken);
    }

    /** Removes a batch's observations from the spool: the server took them, or refused them for good. */
    public void acknowledge(Batch batch) {
        spool.acknowledge(batch.entries());
    }

    /** Returns how full the spool is. */
    public SpoolStats stats() {
        return spool.stats();
    }

    /** Returns the boot epoch this process's observations carry. */
    public long bootEpoch() {
        return bootEpoch;
    }
}
