package io.hanse.agent.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.common.Json;
import java.time.Instant;

/**
 * One observation as the protocol sends it inside a batch; with the batch's boot epoch,
 * (agent, bootEpoch, seq) is its identity, which the server stores once however often it is sent.
 *
 * @param seq its number in its boot epoch, from 1
 * @param type {@code monitoring.result} or {@code inventory.facts}
 * @param system the system it is about
 * @param time when it was observed
 * @param body what was observed
 */
public record Observation(long seq, String type, String system, Instant time, JsonNode body) {

    /** The type of a check result. */
    public static final String RESULT = "monitoring.result";
    /** The type of inventory facts. */
    public static final String FACTS = "inventory.facts";

    /** Returns the observation as one element of a batch's {@code observations}. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("seq", seq);
        json.put("type", type);
        json.put("system", system);
        json.put("time", time.toString());
        json.set("body", body);
        return json;
    }
}
