package io.hanse.agent.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.common.Json;
import io.hanse.agent.common.Text;
import java.util.List;

/**
 * One check run, as the body of a {@code monitoring.result} observation.
 *
 * @param check the configured check's name
 * @param status what the run says
 * @param exitCode the plugin's exit code, or {@code null} if it did not start or was killed at its timeout
 * @param output the first line of output (up to {@code |}), or why there is no result
 * @param longOutput the following lines of output
 * @param metrics the perfdata read
 * @param perfdataError what perfdata could not be read, with the raw text, or {@code null}
 * @param durationMs how long the plugin ran
 * @param timedOut whether it was killed at its timeout
 * @param intervalSeconds how often the check runs
 * @param maxAttempts after how many failing results in a row the server should take a problem as hard; {@code 0}
 *     to leave it to the server
 */
public record CheckResult(String check, CheckStatus status, Integer exitCode, String output, String longOutput,
        List<Metric> metrics, String perfdataError, long durationMs, boolean timedOut, long intervalSeconds,
        int maxAttempts) {

    /** The output's first line is cut to this many bytes. */
    public static final int MAX_OUTPUT_BYTES = 8 * 1024;
    /** The long output is cut to this many bytes. */
    public static final int MAX_LONG_OUTPUT_BYTES = 32 * 1024;
    /**
     * The server's limit on a body, less room for the numbers it writes longer than the agent: a few
     * bytes for each of up to {@link Perfdata#MAX_METRICS} metrics.
     */
    static final int MAX_BODY_BYTES = Json.MAX_OBJECT_BYTES - 4 * 1024;

    /** Copies the list and cuts the texts to their limits. */
    public CheckResult {
        output = Text.cutUtf8(output, MAX_OUTPUT_BYTES);
        longOutput = Text.cutUtf8(longOutput, MAX_LONG_OUTPUT_BYTES);
        metrics = List.copyOf(metrics);
    }

    /**
     * Returns the body of the {@code monitoring.result} observation, made smaller (long output first,
     * then metrics) until it fits the protocol's limit on a body.
     */
    public ObjectNode toJson() {
        CheckResult fitted = this;
        ObjectNode json = fitted.json();
        while (Json.bytes(json).length > MAX_BODY_BYTES) {
            fitted = fitted.smaller();
            json = fitted.json();
        }
        return json;
    }

    /** Returns the one line {@code check-now} prints: {@code WARNING load: LOAD WARNING - … (exit 1, 12 ms)}. */
    public String summary() {
        String how = timedOut ? "timed out" : exitCode == null ? "did not start" : "exit " + exitCode;
        return status.name() + " " + check + ": " + output + " (" + how + ", " + durationMs + " ms)";
    }

    private ObjectNode json() {
        ObjectNode json = Json.object();
        json.put("check", check);
        json.put("status", status.protocolName());
        json.put("exitCode", exitCode);
        json.put("output", output);
        json.put("longOutput", longOutput);
        ArrayNode perfdata = json.putArray("perfdata");
        metrics.forEach(metric -> perfdata.add(metric.toJson()));
        json.put("perfdataError", perfdataError);
        json.put("durationMs", durationMs);
        json.put("timedOut", timedOut);
        json.put("intervalSeconds", intervalSeconds);
        if (maxAttempts > 0) {
            json.put("maxAttempts", maxAttempts);
        }
        return json;
    }

    private CheckResult smaller() {
        if (!longOutput.isEmpty()) {
            String half = Text.cutUtf8(longOutput, longOutput.length() / 2);
            return new CheckResult(check, status, exitCode, output, half, metrics, perfdataError, durationMs, timedOut,
                    intervalSeconds, maxAttempts);
        }
        if (!metrics.isEmpty()) {
            return new CheckResult(check, status, exitCode, output, longOutput, metrics.subList(0, metrics.size() / 2),
                    "too much perfdata for one observation; metrics left out", durationMs, timedOut, intervalSeconds,
                    maxAttempts);
        }
        return new CheckResult(check, status, exitCode, Text.cutUtf8(output, output.length() / 2), longOutput, metrics,
                perfdataError == null ? null : Text.cutUtf8(perfdataError, perfdataError.length() / 2), durationMs,
                timedOut, intervalSeconds, maxAttempts);
    }
}
