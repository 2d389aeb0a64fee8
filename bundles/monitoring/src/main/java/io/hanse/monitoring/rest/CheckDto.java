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
 * @param handled whether its problem is acknowledged or in downtime
 * @param downtime the id of the downtime it is in, or {@code null}
 */
public record CheckDto(String system, String check, String status, boolean hard, String hardStatus, int attempt,
        int maxAttempts, String output, String longOutput, JsonNode perfdata, String perfdataError,
        Instant lastResult, Instant lastChange, Instant lastHardChange, Instant firstSeen, int intervalSeconds,
        boolean flapping, double flapPercent, boolean stale, AckDto ack, boolean handled, String downtime,
        int policyMaxAttempts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An acknowledgement as REST shows it. */
    public record AckDto(String author, String comment, boolean sticky, Instant time, Instant expires) {
        static AckDto of(Ack ack) {
            return ack == null ? null : new AckDto(ack.author(), ack.comment(), ack.sticky(), ack.time(), ack.expires());
        }
    }

    public static CheckDto of(Views.Item item) {
        CheckState s = item.state();
        return new CheckDto(s.system(), s.check(), s.shown(), s.hard(), s.hardStatus().label(), s.attempt(),
                s.maxAttempts(), s.output(), s.longOutput(), perfdata(s.perfdata()), s.perfdataError(), s.lastResult(),
                s.lastChange(), s.lastHardChange(), s.firstSeen(), s.intervalSeconds(), s.flapping().flapping(),
                Math.round(s.flapping().percent() * 10) / 10.0, s.stale(), AckDto.of(s.ack()), item.handled(),
                item.downtime() == null ? null : item.downtime().id().toString(), s.policyMaxAttempts());
    }

    private static JsonNode perfdata(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored perfdata is not JSON", e);
        }
    }
}
