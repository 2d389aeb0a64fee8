package io.hanse.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.common.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckResultTest {

    @Test
    void writesTheProtocolsMonitoringResult() {
        CheckResult result = new CheckResult("load", CheckStatus.WARNING, 1,
                "LOAD WARNING - load average: 5.1, 4.2, 3.0", "",
                List.of(new Metric("load1", new BigDecimal("5.1"), "", "5", "10", "0", null)), null, 12, false, 60, 5);
        String expected = "{\"check\":\"load\",\"status\":\"warning\",\"exitCode\":1,"
                + "\"output\":\"LOAD WARNING - load average: 5.1, 4.2, 3.0\",\"longOutput\":\"\","
                + "\"perfdata\":[{\"label\":\"load1\",\"value\":5.1,\"unit\":\"\",\"warn\":\"5\",\"crit\":\"10\","
                + "\"min\":\"0\",\"max\":null}],\"perfdataError\":null,\"durationMs\":12,\"timedOut\":false,"
                + "\"intervalSeconds\":60,\"maxAttempts\":5}";
        assertEquals(expected, new String(Json.bytes(result.toJson()), StandardCharsets.UTF_8));
        assertEquals("WARNING load: LOAD WARNING - load average: 5.1, 4.2, 3.0 (exit 1, 12 ms)", result.summary());
    }

    @Test
    void cutsOutputAndLongOutputToTheirLimits() {
        CheckResult result = new CheckResult("c", CheckStatus.OK, 0, "é".repeat(10_000), "y".repeat(100_000),
                List.of(), null, 1, false, 60, 0);
        assertEquals(CheckResult.MAX_OUTPUT_BYTES, result.output().getBytes(StandardCharsets.UTF_8).length);
        assertEquals(CheckResult.MAX_LONG_OUTPUT_BYTES, result.longOutput().length());
    }

    @Test
    void shrinksABodyThatWouldExceedTheProtocolsLimit() {
        List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < Perfdata.MAX_METRICS; i++) {
            metrics.add(new Metric("a-rather-long-metric-label-" + i, BigDecimal.ONE, "B", "1", "2", "0", "100"));
        }
        // Control characters are escaped six-fold in JSON.
        CheckResult result = new CheckResult("c", CheckStatus.OK, 0, "\u0001".repeat(8000), "\u0001".repeat(30_000),
                metrics, null, 1, false, 60, 0);
        ObjectNode json = result.toJson();
        assertTrue(Json.bytes(json).length <= CheckResult.MAX_BODY_BYTES);
        assertEquals("c", json.path("check").asText());
    }
}
