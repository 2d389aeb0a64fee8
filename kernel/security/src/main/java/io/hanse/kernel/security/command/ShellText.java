package io.hanse.kernel.security.command;

import io.hanse.api.timeline.Source;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** How the security and audit commands print times, actors and lists, as the system commands do. */
final class ShellText {

    private ShellText() {
    }

    /** Returns the time in UTC to the second, such as {@code 2026-11-23T10:15:00Z}; empty for none. */
    static String time(Instant time) {
        return time == null ? "" : DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Returns who did something, such as {@code user:alice} or {@code kernel}. */
    static String source(Source source) {
        String kind = source.kind().name().toLowerCase(Locale.ROOT);
        return source.name().equals(kind) ? kind : kind + ":" + source.name();
    }

    /** Returns the values joined by commas; {@code none} for none. */
    static String list(List<String> values) {
        return values.isEmpty() ? "none" : String.join(", ", values);
    }

    /** Returns the values joined by commas; {@code everything} for {@code null}, which means no limit. */
    static String limit(List<String> values, String everything) {
        return values == null ? everything : list(values);
    }
}
