package io.hanse.api.shell;

import io.hanse.api.timeline.Source;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How shell commands print times, sources, labels, lists and long text, so that all commands print them alike. */
public final class ShellText {

    private ShellText() {
    }

    /** Returns the time in UTC to the second, such as {@code 2026-11-23T10:15:00Z}; empty for none. */
    public static String time(Instant time) {
        return time == null ? "" : DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Returns who did something, such as {@code user:alice} or {@code kernel}. */
    public static String source(Source source) {
        String kind = source.kind().name().toLowerCase(Locale.ROOT);
        return source.name().equals(kind) ? kind : kind + ":" + source.name();
    }

    /** Returns labels as {@code key=value} pairs sorted by key and joined by commas, as selectors read them. */
    public static String labels(Map<String, String> labels) {
        return new TreeMap<>(labels).entrySet().stream()
                .map(label -> label.getKey() + "=" + label.getValue())
                .collect(Collectors.joining(","));
    }

    /** Returns the values joined by commas; {@code none} for none. */
    public static String list(List<String> values) {
        return values.isEmpty() ? "none" : String.join(", ", values);
    }

    /**
     * Returns the text on one line, with every run of white space made one space, cut to at most
     * {@code max} characters; a cut text ends in {@code …}.
     */
    public static String oneLine(String text, int max) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    /**
     * Returns the text safe to print on a terminal: every control character but line feed and tab
     * (C0, DEL and C1, such as the escape that starts a terminal's control sequences) becomes
     * {@code \uFFFD}, one for one, so that a table's columns stay aligned; a carriage return before a
     * line feed is left out. Check output, names and comments come from agents, peers and users, and
     * must not be able to move the cursor, rewrite what is on screen or set the clipboard.
     * {@link SecuredAction#out()} applies it to everything a command prints.
     */
    public static String printable(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
                if (safe != null) {
                    safe.append(c);
                }
                continue;
            }
            if (safe == null) {
                safe = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (c != '\r' || i + 1 == text.length() || text.charAt(i + 1) != '\n') {
                safe.append('\uFFFD');
            }
        }
        return safe == null ? text : safe.toString();
    }
}
