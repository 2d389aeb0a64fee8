package io.hanse.monitoring.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.rest.Parameters;
import io.hanse.api.shell.ShellText;
import io.hanse.monitoring.internal.CheckState;
import io.hanse.monitoring.internal.Recurrence;
import io.hanse.monitoring.internal.Review;
import io.hanse.monitoring.internal.Schedule;
import io.hanse.monitoring.internal.Views;
import io.hanse.monitoring.rest.CheckDto;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** How the monitoring commands print checks, ages, reviews' schedules and JSON, so that all print them alike. */
final class Shell {

    /** What the review commands' {@code --schedule} says of it. */
    static final String SCHEDULE = "When it is due instead: 'weekly mon 10:00' or 'cron MIN HOUR DOM MON DOW' such as"
            + " 'cron 0 10 * * mon#1', the first Monday of the month";
    /** What the review commands' {@code --zone} says of it. */
    static final String ZONE = "The schedule's time zone, such as Europe/Berlin; UTC if left out";

    private static final DateTimeFormatter DAY_MINUTE = DateTimeFormatter.ofPattern("EEE uuuu-MM-dd HH:mm",
            Locale.ROOT);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    /** A zone's short name, such as CET or CEST, or UTC. */
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("zzz", Locale.ROOT);

    /** About how many characters a line of metrics holds. */
    private static final int METRICS_WIDTH = 100;
    /** At most how many lines of metrics are shown: REST has all of them. */
    private static final int METRICS_LINES = 5;

    /** Writes what REST answers, as REST does (no nulls, times as text), but indented for people. */
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private Shell() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a time typed in the shell: an ISO-8601 instant such as {@code 2026-12-08T21:00:00Z}, or a
     * local date and time such as {@code 2026-12-08T22:00} in the zone. A local time in a
     * daylight saving gap moves forward by the gap, one in a repeated hour is its first occurrence.
     *
     * @throws io.hanse.api.InvalidRequestException naming the option if it is neither
     */
    static Instant time(String option, String text, ZoneId zone) {
        return local(text).map(time -> Parameters.storable(option, time.atZone(zone).toInstant()))
                .orElseGet(() -> Parameters.instant(option, text));
    }

    /** Returns the local date and time typed in the shell, such as {@code 2026-12-08T22:00}; empty for any other. */
    static Optional<LocalDateTime> local(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(LocalDateTime.parse(text));
        } catch (DateTimeParseException notLocal) {
            return Optional.empty();
        }
    }

    /**
     * Returns a duration typed in the shell, such as {@code PT4H}, if it is longer than zero; {@code null} for none.
     *
     * @throws io.hanse.api.InvalidRequestException naming the option otherwise
     */
    static Duration lasting(String option, String text) {
        Duration lasting = Parameters.duration(option, text);
        if (lasting != null && (lasting.isNegative() || lasting.isZero())) {
            throw new InvalidRequestException(option + " must be a duration longer than zero, such as PT1H, not "
                    + Messages.quote(text));
        }
        return lasting;
    }

    /** Returns a count with its noun: {@code one} for 1, such as {@code once} or {@code day}, else {@code 2 days}. */
    static String count(long count, String one, String many) {
        return count == 1 ? one : count + " " + many;
    }

    /** Returns a time in a zone to the minute, such as {@code Sat 2026-12-12 01:00 CET}. */
    static String minute(Instant time, ZoneId zone) {
        ZonedDateTime local = time.atZone(zone);
        return DAY_MINUTE.format(local) + " " + ZONE_NAME.format(local);
    }

    /**
     * Returns a window in a zone to the minute, such as {@code Sat 2026-12-12 01:00-05:00 CET}, with its end's
     * date if it ends on another day, and the zone's name at its start too if that differs, as across a change of
     * daylight saving time.
     */
    static String window(Recurrence.Window window, ZoneId zone) {
        ZonedDateTime start = window.start().atZone(zone);
        ZonedDateTime end = window.end().atZone(zone);
        String from = DAY_MINUTE.format(start);
        if (!ZONE_NAME.format(start).equals(ZONE_NAME.format(end))) {
            from += " " + ZONE_NAME.format(start);
        }
        String to = (start.toLocalDate().equals(end.toLocalDate()) ? MINUTE : DAY_MINUTE).format(end);
        return from + "-" + to + " " + ZONE_NAME.format(end);
    }

    /** Returns how long ago, such as {@code 3m} or {@code 2d4h}. */
    static String age(Instant since) {
        Duration age = Duration.between(since, Instant.now());
        if (age.toDays() > 0) {
            return age.toDays() + "d" + (age.toHoursPart() > 0 ? age.toHoursPart() + "h" : "");
        }
        if (age.toHours() > 0) {
            return age.toHours() + "h" + (age.toMinutesPart() > 0 ? age.toMinutesPart() + "m" : "");
        }
        return age.toMinutes() > 0 ? age.toMinutes() + "m" : age.toSeconds() + "s";
    }

    /**
     * Returns since when a check is shown as it is: its last status change, or, for a stale check, its last
     * result, so that its age says how stale it is.
     */
    static Instant since(CheckState state) {
        return state.stale() ? state.lastResult() : state.lastChange();
    }

    /** Returns a check's status with its markers: soft, acknowledged, in downtime, flapping. */
    static String status(Views.Item item) {
        CheckState state = item.state();
        StringBuilder shown = new StringBuilder(state.shown().toUpperCase(Locale.ROOT));
        if (!state.hard() && !state.stale()) {
            shown.append(" (soft ").append(state.attempt()).append('/').append(state.maxAttempts()).append(')');
        }
        shown.append(item.acknowledged() ? " ACK" : "").append(item.inDowntime() ? " DOWNTIME" : "")
                .append(state.flappingNow() ? " FLAPPING" : "");
        return shown.toString();
    }

    /**
     * Returns how the check's latest run went, as its agent says: {@code , ran 12 ms} or {@code , timed out
     * after 10004 ms}; empty if the agent did not say.
     */
    static String run(CheckState state) {
        String took = state.durationMs() == null ? "" : " after " + state.durationMs() + " ms";
        if (Boolean.TRUE.equals(state.timedOut())) {
            return ", timed out" + took;
        }
        return state.durationMs() == null ? "" : ", ran " + state.durationMs() + " ms";
    }

    /**
     * Returns when a review is due: {@code every day}, {@code every 7 days}, or its schedule such as
     * {@code weekly mon 10:00 in UTC}.
     */
    static String schedule(Review review) {
        return review.schedule() == null ? "every " + count(review.everyDays(), "day", "days")
                : review.schedule().toString();
    }

    /** Returns when a review's next pass is due, or that its schedule has no time within a year. */
    static String due(Instant due) {
        return due == null ? "not within " + Schedule.LOOK_AHEAD_DAYS + " days" : ShellText.time(due);
    }

    /**
     * Returns the latest result's metrics, such as {@code Metrics: load1=5.1 (warn 5, crit 10), time=0.25s, free=U},
     * on lines of about {@value #METRICS_WIDTH} characters, at most {@value #METRICS_LINES} of them, the last saying
     * how many more there are; none if it has none.
     */
    static List<String> metrics(CheckState state) {
        JsonNode metrics = CheckDto.perfdata(state.perfdata());
        if (metrics == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder("Metrics:");
        for (int i = 0; i < metrics.size(); i++) {
            String text = metric(metrics.get(i)) + (i < metrics.size() - 1 ? "," : "");
            if (line.length() + 1 + text.length() > METRICS_WIDTH) {
                if (lines.size() == METRICS_LINES - 1) {
                    line.append(" and ").append(metrics.size() - i).append(" more");
                    break;
                }
                lines.add(line.toString());
                line = new StringBuilder(" ");
            }
            line.append(' ').append(text);
        }
        lines.add(line.toString());
        return lines;
    }

    /**
     * Returns one metric as its label, value and unit, such as {@code time=0.25s}, with its warning and critical
     * thresholds if it has them; a value the plugin did not know ({@code U}) as {@code U}.
     */
    private static String metric(JsonNode metric) {
        String value = metric.path("value").isNumber() ? metric.path("value").asText() : "U";
        String thresholds = String.join(", ", Stream.of("warn", "crit")
                .filter(threshold -> !text(metric, threshold).isEmpty())
                .map(threshold -> threshold + " " + text(metric, threshold)).toList());
        return ShellText.oneLine(text(metric, "label") + "=" + value + text(metric, "unit")
                + (thresholds.isEmpty() ? "" : " (" + thresholds + ")"), METRICS_WIDTH / 2);
    }

    /** Returns a metric's field as text; empty if it has none. */
    private static String text(JsonNode metric, String field) {
        return Objects.toString(metric.path(field).textValue(), "");
    }

    static String output(CheckState state) {
        return ShellText.oneLine(state.output(), 80);
    }
}
