package io.hanse.agent.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.common.Json;
import java.util.List;

/**
 * Observations of one boot epoch sent in one request, and the spool records they came from (none
 * for a result {@code check-now} sends directly).
 *
 * @param bootEpoch the boot epoch all of them belong to
 * @param observations the observations, as the protocol's JSON
 * @param entries the spool records to acknowledge once the server took the batch
 */
public record Batch(long bootEpoch, List<JsonNode> observations, List<SpoolEntry> entries) {

    /** Copies the lists so that the batch stays immutable. */
    public Batch {
        observations = List.copyOf(observations);
        entries = List.copyOf(entries);
    }

    /** Returns a batch of observations not taken from the spool. */
    public static Batch of(long bootEpoch, List<Observation> observations) {
        return new Batch(bootEpoch, observations.stream().map(o -> (JsonNode) o.toJson()).toList(), List.of());
    }

    /** Returns the request body: {@code {"bootEpoch": …, "observations": […]}}. */
    public byte[] body() {
        ObjectNode json = Json.object();
        json.put("bootEpoch", bootEpoch);
        ArrayNode list = json.putArray("observations");
        observations.forEach(list::add);
        return Json.bytes(json);
    }

    /** Returns how many observations the batch holds. */
    public int size() {
        return observations.size();
    }

    /** Returns the sequence numbers in the batch, for log lines: {@code 3} or {@code 3-17}. */
    public String seqRange() {
        String first = observations.get(0).path("seq").asText();
        String last = observations.get(observations.size() - 1).path("seq").asText();
        return first.equals(last) ? first : first + "-" + last;
    }
}
