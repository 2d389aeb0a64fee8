package io.hanse.monitoring.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.agent.AgentObservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
 * @param perfdata the metrics kept, as a JSON array, or {@code null} if there are none
 * @param perfdataError what perfdata was left out and why, with its text; {@code null} if nothing was
 * @param durationMs how long the run took, in milliseconds; {@code null} if the agent did not say, or
 *     said what cannot be (see {@link #MAX_DURATION_MS})
 * @param timedOut whether the run was killed at its timeout; {@code null} if the agent did not say
 * @param intervalSeconds how often the agent runs the check; {@code 0} if it did not say
 * @param maxAttempts after how many failing runs in a row the agent wants a problem to be hard; {@code 0} if it did
 *     not say
 */
public record CheckResult(String id, String system, String check, Instant time, CheckStatus status, String output,
        String longOutput, String perfdata, String perfdataError, Long durationMs, Boolean timedOut,
        int intervalSeconds, int maxAttempts) {

    /** The observation type that carries results. */
    public static final String TYPE = "monitoring.result";
    /** The types the plugin takes from agents: all of its namespace, so that none is forged on the timeline. */
    public static final String NAMESPACE = "monitoring.*";
    public static final int MAX_OUTPUT = 8 * 1024;
    public static final int MAX_LONG_OUTPUT = 32 * 1024;
    public static final int MAX_PERFDATA = 16 * 1024;
    public static final int MAX_PERFDATA_ERROR = 1024;
    /** The longest run a result's duration may tell of: a week, the longest interval an agent runs a check at. */
    public static final long MAX_DURATION_MS = 7L * 24 * 3600 * 1000;
    /** A check's name: what agents and people call it. */
    public static final Pattern CHECK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** {@link #CHECK} in words, for the errors that name it. */
    public static final String CHECK_RULE = "1 to 100 letters, digits and . _ - starting with a letter or digit";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a result from an observation. Metrics that are not an object with a label and a numeric
     * (or, for the plugin's {@code U}, null) value, and those past {@link #MAX_PERFDATA}, are left
     * out and told of in {@link #perfdataError} instead of refusing the result. A {@code durationMs}
     * that is not a whole number from 0 to {@link #MAX_DURATION_MS}, and a {@code timedOut} that is
     * not true or false, are left out too: they tell of the run, not of the check, which the result
     * still says.
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
        String check = text(observation, body, "check");
        if (check == null || !CHECK.matcher(check).matches()) {
            throw refused(observation, "check is required: " + CHECK_RULE);
        }
        CheckStatus status;
        try {
            status = CheckStatus.ofLabel("status", text(observation, body, "status"));
        } catch (InvalidRequestException e) {
            throw refused(observation, e.getMessage());
        }
        JsonNode exitCode = body.path("exitCode");
        if (exitCode.isIntegralNumber() && status != CheckStatus.ofExitCode(exitCode.asLong())) {
            throw refused(observation, "status " + status.label() + " does not match exitCode " + exitCode
                    + ", which is " + CheckStatus.ofExitCode(exitCode.asLong()).label());
        }
        int interval = count(observation, body, "intervalSeconds", 7 * 24 * 3600);
        int maxAttempts = count(observation, body, "maxAttempts", 100);
        Metrics metrics = Metrics.of(body.path("perfdata"));
        // The server's word first: the agent's may be long, and the whole is cut.
        String perfdataError = Stream.of(metrics.problem(), text(observation, body, "perfdataError"))
                .filter(Objects::nonNull).collect(Collectors.joining("; "));
        return new CheckResult(observation.id(), observation.system(), check, observation.time(), status,
                cut(Objects.toString(text(observation, body, "output"), ""), MAX_OUTPUT),
                cut(Objects.toString(text(observation, body, "longOutput"), ""), MAX_LONG_OUTPUT), metrics.kept(),
                perfdataError.isEmpty() ? null : cut(perfdataError, MAX_PERFDATA_ERROR),
                duration(body.path("durationMs")), flag(body.path("timedOut")), interval, maxAttempts);
    }

    /** True or false; {@code null} for anything else. */
    private static Boolean flag(JsonNode value) {
        return value.isBoolean() ? value.booleanValue() : null;
    }

    /** A run's duration in milliseconds; {@code null} if there is none, or none that can be. */
    private static Long duration(JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            return null;
        }
        long ms = value.longValue();
        return ms >= 0 && ms <= MAX_DURATION_MS ? ms : null;
    }

    /**
     * The metrics of a result that are kept, and what was left out.
     *
     * @param kept a JSON array of the metrics kept; {@code null} if none
     * @param problem what was left out and why; {@code null} if nothing
     */
    private record Metrics(String kept, String problem) {

        static Metrics of(JsonNode perfdata) {
            if (perfdata.isMissingNode() || perfdata.isNull()) {
                return new Metrics(null, null);
            }
            if (!perfdata.isArray()) {
                return new Metrics(null, "unreadable perfdata, kept as text: " + perfdata);
            }
            StringJoiner kept = new StringJoiner(",", "[", "]");
            List<String> unreadable = new ArrayList<>();
            int count = 0;
            int over = 0;
            for (JsonNode metric : perfdata) {
                String text = metric.toString();
                if (!wellFormed(metric)) {
                    unreadable.add(text);
                } else if (over > 0 || kept.length() + text.length() + 1 > MAX_PERFDATA) {
                    over++;
                } else {
                    kept.add(text);
                    count++;
                }
            }
            List<String> problems = new ArrayList<>();
            if (!unreadable.isEmpty()) {
                problems.add("unreadable perfdata, kept as text: " + String.join(" ", unreadable));
            }
            if (over > 0) {
                problems.add(over + " metrics past " + MAX_PERFDATA / 1024 + " KiB left out");
            }
            return new Metrics(count == 0 ? null : kept.toString(), problems.isEmpty() ? null
                    : String.join("; ", problems));
        }

        private static boolean wellFormed(JsonNode metric) {
            JsonNode value = metric.path("value");
            return metric.isObject() && metric.path("label").isTextual()
                    && (value.isNull() || value.isNumber() && Double.isFinite(value.doubleValue()));
        }
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

    /** A field's text; {@code null} if it is missing or null. */
    private static String text(AgentObservation observation, JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw refused(observation, field + " is text, not " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return value.textValue();
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

    /** A refusal of this result that names its observation as the agent protocol says, by its sequence number. */
    InvalidRequestException refused(String why) {
        return refused(id, why);
    }

    private static InvalidRequestException refused(AgentObservation observation, String why) {
        return refused(observation.id(), why);
    }

    private static InvalidRequestException refused(String id, String why) {
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
