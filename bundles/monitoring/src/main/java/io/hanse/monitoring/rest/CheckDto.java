package io.hanse.monitoring.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.monitoring.internal.Ack;
import io.hanse.monitoring.internal.CheckState;
import io.hanse.monitoring.internal.Views;
import java.time.Instant;

/**
 * A check as REST shows it.
 *
 * @param status its status, or {@code stale}
 * @param durationMs how long its latest result's run took, in milliseconds; {@code null} if its agent did not say
 * @param timedOut whether its latest result's run was killed at its timeout; {@code null} if its agent did not say
 * @param ack its acknowledgement, while it holds: not once it expired, a few seconds before the sweep ends it
 * @param handled whether its problem is acknowledged or in downtime
 * @param inDowntime whether a downtime covers it now
 * @param downtime that downtime's id if the caller may read the system it is on, else {@code null}
 */
public record CheckDto(String system, String check, String status, boolean hard, String hardStatus, int attempt,
        int maxAttempts, String output, String longOutput, JsonNode perfdata, String perfdataError, Long durationMs,
        Boolean timedOut, Instant lastResult, Instant lastChange, Instant lastHardChange, Instant firstSeen,
        int intervalSeconds, boolean flapping, double flapPercent, boolean stale, AckDto ack, boolean handled,
        boolean inDowntime, String downtime, int policyMaxAttempts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An acknowledgement as REST shows it. */
    public record AckDto(String author, String comment, boolean sticky, Instant time, Instant expires) {
        static AckDto of(Ack ack) {
            return new AckDto(ack.author(), ack.comment(), ack.sticky(), ack.time(), ack.expires());
        }
    }

    public static CheckDto of(Views.Item item) {
        CheckState s = item.state();
        return new CheckDto(s.system(), s.check(), s.shown(), s.hard(), s.hardStatus().label(), s.attempt(),
                s.maxAttempts(), s.output(), s.longOutput(), perfdata(s.perfdata()), s.perfdataError(), s.durationMs(),
                s.timedOut(), s.lastResult(),
                s.lastChange(), s.lastHardChange(), s.firstSeen(), s.intervalSeconds(), s.flappingNow(),
                Math.round(s.flapping().percent() * 10) / 10.0, s.stale(),
                item.acknowledged() ? AckDto.of(s.ack()) : null, item.handled(), item.inDowntime(),
                item.downtime() == null ? null : item.downtime().toString(), s.policyMaxAttempts());
    }

    /**
     * Returns a check's stored metrics as JSON, or {@code null} for none.
     *
     * @throws IllegalStateException if what is stored is not JSON
     */
    public static JsonNode perfdata(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored perfdata is not JSON", e);
        }
    }
}
