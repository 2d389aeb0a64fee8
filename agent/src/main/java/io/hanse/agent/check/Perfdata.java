package io.hanse.agent.check;

import io.hanse.agent.common.Text;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Perfdata parsed into metrics. Parsing keeps every metric it can read; the first that it cannot
 * read is named in {@link #error()}, together with the raw perfdata text.
 *
 * @param metrics the metrics read, in order
 * @param error what could not be read and the raw text, or {@code null} if everything was read
 */
public record Perfdata(List<Metric> metrics, String error) {

    /** At most this many metrics are kept: a plugin's output must not blow up one observation. */
    static final int MAX_METRICS = 200;
    /** Unreadable perfdata is kept as text, cut to this many bytes of UTF-8. */
    static final int MAX_RAW_BYTES = 4096;
    // A decimal number (a comma as decimal separator is accepted, as some locales write it), then the
    // unit, which starts with no digit, sign or separator: 5.0.1, 1,234.5 or 10-20 is no number and a unit.
    private static final Pattern VALUE = Pattern.compile(
            "([-+]?(?:\\d+(?:[.,]\\d*)?|[.,]\\d+)(?:[eE][-+]?\\d+)?)([^\\d.,+\\-;\\s][^;\\s]*)?");
    /** The largest value a server reading JSON numbers as doubles takes as it is. */
    private static final BigDecimal MAX_VALUE = new BigDecimal(Double.MAX_VALUE);

    /** Copies the list so that the result stays immutable. */
    public Perfdata {
        metrics = List.copyOf(metrics);
    }

    /** Parses space-separated {@code 'label'=value[UOM];[warn];[crit];[min];[max]} items. */
    public static Perfdata parse(String text) {
        List<Metric> metrics = new ArrayList<>();
        String problem = null;
        int i = skipBlanks(text, 0);
        while (i < text.length()) {
            if (metrics.size() == MAX_METRICS) {
                problem = first(problem, "more than " + MAX_METRICS + " metrics; the rest are left out");
                break;
            }
            StringBuilder label = new StringBuilder();
            int end = label(text, i, label);
            if (end < 0) {
                problem = first(problem, "a quoted label is not closed");
                break;
            }
            int blank = nextBlank(text, end);
            Metric metric = end < text.length() && text.charAt(end) == '=' && label.length() > 0
                    ? metric(label.toString(), text.substring(end + 1, blank)) : null;
            if (metric == null) {
                problem = first(problem, "cannot read \"" + text.substring(i, blank)
                        + "\": expected 'label'=value[UOM];[warn];[crit];[min];[max] with a number or U as value");
            } else {
                metrics.add(metric);
            }
            i = skipBlanks(text, blank);
        }
        if (problem == null) {
            return new Perfdata(metrics, null);
        }
        // Cut by whole characters: half of a surrogate pair would be written as U+FFFD.
        String raw = Text.cutUtf8(text, MAX_RAW_BYTES);
        raw = raw.length() < text.length() ? raw + "…" : raw;
        return new Perfdata(metrics, problem + "; perfdata: " + raw);
    }

    /** Returns where the last item of perfdata text starts: after the last blank outside a quoted label. */
    static int lastItemStart(String text) {
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && Character.isWhitespace(c)) {
                start = i + 1;
            }
        }
        return start;
    }

    private static String first(String problem, String another) {
        return problem == null ? another : problem;
    }

    /** Reads a label at {@code start} into {@code label}; returns the index after it, or -1 if a quote is not closed. */
    private static int label(String text, int start, StringBuilder label) {
        if (text.charAt(start) != '\'') {
            int i = start;
            while (i < text.length() && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                label.append(text.charAt(i++));
            }
            return i;
        }
        for (int i = start + 1; i < text.length(); i++) {
            if (text.charAt(i) == '\'') {
                // Two single quotes inside a quoted label stand for one.
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    label.append('\'');
                    i++;
                } else {
                    return i + 1;
                }
            } else {
                label.append(text.charAt(i));
            }
        }
        return -1;
    }

    private static Metric metric(String label, String item) {
        String[] fields = item.split(";", -1);
        // Empty fields past the fifth, as in x=5;;;;; from some plugins, say nothing.
        for (int i = 5; i < fields.length; i++) {
            if (!fields[i].isEmpty()) {
                return null;
            }
        }
        BigDecimal value = null;
        String unit = "";
        if (!fields[0].equals("U")) {
            Matcher matcher = VALUE.matcher(fields[0]);
            if (!matcher.matches()) {
                return null;
            }
            try {
                value = new BigDecimal(matcher.group(1).replace(',', '.'));
            } catch (NumberFormatException exponentOverflow) {
                return null;
            }
            if (value.abs().compareTo(MAX_VALUE) > 0) {
                return null;
            }
            unit = matcher.group(2) == null ? "" : matcher.group(2);
        }
        return new Metric(label, value, unit, field(fields, 1), field(fields, 2), field(fields, 3), field(fields, 4));
    }

    private static String field(String[] fields, int index) {
        return index < fields.length && !fields[index].isEmpty() ? fields[index] : null;
    }

    private static int skipBlanks(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int nextBlank(String text, int from) {
        int i = from;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
