package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.agent.AgentObservation;
import io.hanse.api.timeline.Source;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a result's body must say, and what of its perfdata is kept. */
class CheckResultTest {

    private static CheckResult read(String fields) {
        return CheckResult.of(new AgentObservation("agent:a:1:7", new Source(Source.Kind.AGENT, "a"), CheckResult.TYPE,
                "web-1", Instant.parse("2026-12-06T12:00:00Z"), "{\"check\":\"disk\"," + fields + "}"));
    }

    private static String refusal(String fields) {
        return assertThrows(InvalidRequestException.class, () -> read(fields)).getMessage();
    }

    @Test
    void anUnknownValueIsKeptAsNullBesideTheOthers() {
        CheckResult result = read("\"status\":\"ok\",\"perfdata\":[{\"label\":\"temp\",\"value\":null},"
                + "{\"label\":\"fan\",\"value\":1200}]");
        assertEquals("[{\"label\":\"temp\",\"value\":null},{\"label\":\"fan\",\"value\":1200}]", result.perfdata());
        assertNull(result.perfdataError());
    }

    @Test
    void anUnreadableMetricIsLeftOutAndToldOfWhileTheOthersAreKept() {
        CheckResult result = read("\"status\":\"ok\",\"perfdataError\":\"cannot read \\\"x=?\\\"\",\"perfdata\":["
                + "{\"label\":\"a\",\"value\":1},{\"label\":\"b\"},{\"label\":\"c\",\"value\":\"Infinity\"},"
                + "{\"label\":\"d\",\"value\":2.5}]");
        assertEquals("[{\"label\":\"a\",\"value\":1},{\"label\":\"d\",\"value\":2.5}]", result.perfdata());
        assertEquals("unreadable perfdata, kept as text: {\"label\":\"b\"} {\"label\":\"c\",\"value\":\"Infinity\"};"
                + " cannot read \"x=?\"", result.perfdataError(), "the server's word first, the agent's after it");
        assertEquals("unreadable perfdata, kept as text: {\"label\":\"x\"}",
                read("\"status\":\"ok\",\"perfdata\":{\"label\":\"x\"}").perfdataError());
    }

    @Test
    void metricsPastTheLimitAreLeftOutAndCounted() {
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            metrics.append(i == 0 ? "" : ",").append("{\"label\":\"/var/lib/docker/overlay2/").append(i)
                    .append("/merged\",\"value\":2643,\"unit\":\"MB\"}");
        }
        CheckResult result = read("\"status\":\"ok\",\"perfdata\":[" + metrics + "]");
        assertTrue(result.perfdata().length() <= CheckResult.MAX_PERFDATA, "within the limit");
        int kept = result.perfdata().split("\"label\"").length - 1;
        assertTrue(kept > 200, kept + " metrics kept");
        assertEquals((400 - kept) + " metrics past 16 KiB left out", result.perfdataError());
        assertTrue(result.perfdata().startsWith("[{\"label\":\"/var/lib/docker/overlay2/0/merged\""), "the first");

        String huge = "{\"label\":\"" + "h".repeat(CheckResult.MAX_PERFDATA) + "\",\"value\":1}";
        CheckResult cut = read("\"status\":\"ok\",\"perfdataError\":\"" + "p".repeat(4000) + "\",\"perfdata\":["
                + "{\"label\":\"a\",\"value\":1}," + huge + ",{\"label\":\"b\",\"value\":2}]");
        assertEquals("[{\"label\":\"a\",\"value\":1}]", cut.perfdata(), "none after the first left out");
        assertTrue(cut.perfdataError().startsWith("2 metrics past 16 KiB left out; ppp"), cut.perfdataError());
        assertEquals(CheckResult.MAX_PERFDATA_ERROR, cut.perfdataError().length());
    }

    @Test
    void aRunsDurationAndTimeoutAreKeptAndOnesThatCannotBeAreLeftOutWithoutRefusingTheResult() {
        CheckResult timedOut = read("\"status\":\"unknown\",\"durationMs\":10004,\"timedOut\":true");
        assertEquals(10004L, timedOut.durationMs());
        assertEquals(Boolean.TRUE, timedOut.timedOut());
        assertEquals(0L, read("\"status\":\"ok\",\"durationMs\":0").durationMs());
        CheckResult silent = read("\"status\":\"ok\"");
        assertNull(silent.durationMs(), "the agent did not say");
        assertNull(silent.timedOut());
        for (String duration : List.of("-1", "1.5", "\"12\"", "604800001", "1e30", "99999999999999999999", "null")) {
            CheckResult kept = read("\"status\":\"critical\",\"output\":\"disk full\",\"durationMs\":" + duration
                    + ",\"timedOut\":\"no\"");
            assertNull(kept.durationMs(), duration);
            assertNull(kept.timedOut(), "not true or false");
            assertEquals(CheckStatus.CRITICAL, kept.status(), "the result is kept");
            assertEquals("disk full", kept.output());
        }
        assertEquals(CheckResult.MAX_DURATION_MS, read("\"status\":\"ok\",\"durationMs\":604800000").durationMs());
    }

    @Test
    void fieldsOfTheWrongTypeOrAStatusTheExitCodeDeniesAreRefusedNamingThem() {
        assertEquals("observation seq 7: check is text, not number", assertThrows(InvalidRequestException.class,
                () -> CheckResult.of(new AgentObservation("agent:a:1:7", new Source(Source.Kind.AGENT, "a"),
                        CheckResult.TYPE, "web-1", Instant.EPOCH, "{\"check\":7,\"status\":\"ok\"}"))).getMessage());
        assertEquals("observation seq 7: output is text, not object", refusal("\"status\":\"ok\",\"output\":{}"));
        assertEquals("observation seq 7: status is ok, warning, critical or unknown, not 'sideways'",
                refusal("\"status\":\"sideways\""));
        assertEquals("observation seq 7: status ok does not match exitCode 2, which is critical",
                refusal("\"status\":\"ok\",\"exitCode\":2"));
        assertEquals("observation seq 7: status ok does not match exitCode 127, which is unknown",
                refusal("\"status\":\"ok\",\"exitCode\":127"));
        assertEquals(CheckStatus.UNKNOWN, read("\"status\":\"unknown\",\"exitCode\":null").status());
        assertEquals(CheckStatus.CRITICAL, read("\"status\":\"critical\",\"exitCode\":2").status());
    }
}
