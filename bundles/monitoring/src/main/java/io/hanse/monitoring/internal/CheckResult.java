package io.hanse.monitoring.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.agent.AgentObservation;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One run of a check, read from a {@code monitoring.result} observation (see the agent protocol).
 *
 * @param id the observation's id: the same result sent again has the same id
 * @param system the system's slug
 * @param check the check's name
 * @param time when it ran
 * @param status what it said
 * @param output its first line of output
 * @param longOutput the following lines
 * @param perfdata the metrics as a JSON array, or {@code null} if there are none or they were unreadable
 * @param perfdataError what perfdata could not be read, with the raw text; {@code null} if all was read
 * @param intervalSeconds how often the agent runs the check; {@code 0} if it did not say
 * @param maxAttempts after how many failing runs in a row the agent wants a problem to be hard; {@code 0} if it did not say
 */
public record CheckResult(String id, String system, String check, Instant time, CheckStatus status, String output,
        String longOutput, String perfdata, String perfdataError, int intervalSeconds, int maxAttempts) {

    /** The observation type that carries results. */
    public static final String TYPE = "monitoring.result";
    /** The types the plugin takes from agents: all of its namespace, so that none is forged on the timeline. */
    public static final String NAMESPACE = "monitoring.*";
    public static final int MAX_OUTPUT = 8 * 1024;
    public static final int MAX_LONG_OUTPUT = 32 * 1024;
    public static final int MAX_PERFDATA = 16 * 1024;
    public static final int MAX_PERFDATA_ERROR = 1024;
    /** A check's name: what agents and people call it. */
    public static final Pattern CHECK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** {@link #CHECK} in words, for the errors that name it. */
    public static final String CHECK_RULE = "1 to 100 letters, digits and . _ - starting with a letter or digit";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a result from an observation. Perfdata that is not an array of metrics with a label and
     * a numeric value is kept as text in {@link #perfdataError} instead of refusing the result.
     *
     * @throws InvalidRequestException naming the observation and the field if it is not a result,
     *     or is of another type of the plugin's namespace
     */
    public static CheckResult of(AgentObservation observation) {
        if (!observation.type().equals(TYPE)) {
            throw refused(observation, "type " + observation.type() + " is the monitoring plugin's own; agents send "
                    + TYPE);
        }
        JsonNode body;
        try {
            body = JSON.readTree(observation.body());
        } catch (JsonProcessingException e) {
            throw refused(observation, "body is not JSON");
        }
        String check = body.path("check").asText(null);
        if (check == null || !CHECK.matcher(check).matches()) {
            throw refused(observation, "check is required: " + CHECK_RULE);
        }
        CheckStatus status;
        try {
            status = CheckStatus.ofLabel("status", body.path("status").asText(null));
        } catch (InvalidRequestException e) {
            throw refused(observation, e.getMessage());
        }
        int interval = count(observation, body, "intervalSeconds", 7 * 24 * 3600);
        int maxAttempts = count(observation, body, "maxAttempts", 100);
        String perfdata = null;
        String perfdataError = cut(body.path("perfdataError").asText(null), MAX_PERFDATA_ERROR);
        JsonNode metrics = body.path("perfdata");
        if (!metrics.isMissingNode() && !metrics.isNull() && !(metrics.isArray() && metrics.isEmpty())) {
            String text = metrics.toString();
            if (!wellFormed(metrics) || text.length() > MAX_PERFDATA) {
                perfdataError = cut("unreadable perfdata, kept as text: " + text, MAX_PERFDATA_ERROR);
            } else {
                perfdata = text;
            }
        }
        return new CheckResult(observation.id(), observation.system(), check, observation.time(), status,
                cut(body.path("output").asText(""), MAX_OUTPUT), cut(body.path("longOutput").asText(""), MAX_LONG_OUTPUT),
                perfdata, perfdataError, interval, maxAttempts);
    }

    /**
     * Returns whether this result comes after the check's latest one: later, or at the same time
     * but later in its agent's sequence (ids end in {@code :<seq>}). A result sent again never does.
     */
    public boolean follows(CheckState latest) {
        if (id.equals(latest.resultId())) {
            return false;
        }
        int order = time.compareTo(latest.lastResult());
        if (order != 0) {
            return order > 0;
        }
        int cut = id.lastIndexOf(':');
        int latestCut = latest.resultId().lastIndexOf(':');
        if (cut < 0 || cut != latestCut || !id.regionMatches(0, latest.resultId(), 0, cut + 1)) {
            return true;
        }
        try {
            return Long.parseLong(id.substring(cut + 1)) > Long.parseLong(latest.resultId().substring(cut + 1));
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static boolean wellFormed(JsonNode metrics) {
        if (!metrics.isArray()) {
            return false;
        }
        for (JsonNode metric : metrics) {
            if (!metric.isObject() || !metric.path("label").isTextual() || !metric.path("value").isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static int count(AgentObservation observation, JsonNode body, String field, int max) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 1 || value.intValue() > max) {
            throw refused(observation, field + " is a whole number from 1 to " + max + ", not " + value);
        }
        return value.intValue();
    }

    /** A refusal that names the observation as the agent protocol says, by its sequence number. */
    private static InvalidRequestException refused(AgentObservation observation, String why) {
        String id = observation.id();
        return new InvalidRequestException("observation seq " + id.substring(id.lastIndexOf(':') + 1) + ": " + why);
    }

    /** Returns text at most {@code max} characters long; a cut never splits a surrogate pair. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
    }
}
