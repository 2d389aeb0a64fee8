package io.hanse.agent.check;

import io.hanse.agent.common.Text;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Perfdata parsed into metrics. Parsing keeps every metric it can read; those it cannot read are named
 * in {@link #error()}, each with why (the first {@value #MAX_NAMED}, then how many more), together
 * with the raw perfdata text.
 *
 * @param metrics the metrics read, in order
 * @param error what could not be read and why, and the raw text, or {@code null} if everything was read
 */
public record Perfdata(List<Metric> metrics, String error) {

    /** At most this many metrics are kept: a plugin's output must not blow up one observation. */
    static final int MAX_METRICS = 200;
    /** Unreadable perfdata is kept as text, cut to this many bytes of UTF-8. */
    static final int MAX_RAW_BYTES = 4096;
    /** At most this many unreadable items are named, so that the server's 1 KiB of the error holds them. */
    static final int MAX_NAMED = 5;
    /** An unreadable item is named cut to this many bytes of UTF-8. */
    static final int MAX_ITEM_BYTES = 100;
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
        List<String> unreadable = new ArrayList<>();
        String limit = null;
        int i = skipBlanks(text, 0);
        while (i < text.length()) {
            if (metrics.size() == MAX_METRICS) {
                limit = "more than " + MAX_METRICS + " metrics; the rest are left out";
                break;
            }
            StringBuilder label = new StringBuilder();
            int end = label(text, i, label);
            if (end < 0) {
                unreadable.add(item(text.substring(i), "a quoted label is not closed"));
                break;
            }
            int blank = nextBlank(text, end);
            String why = end == text.length() || text.charAt(end) != '=' ? "no = after the label"
                    : label.length() == 0 ? "the label is empty"
                    : read(label.toString(), text.substring(end + 1, blank), metrics);
            if (why != null) {
                unreadable.add(item(text.substring(i, blank), why));
            }
            i = skipBlanks(text, blank);
        }
        List<String> problems = new ArrayList<>();
        if (!unreadable.isEmpty()) {
            int named = Math.min(MAX_NAMED, unreadable.size());
            problems.add("cannot read " + String.join(", ", unreadable.subList(0, named))
                    + (named < unreadable.size() ? " and " + (unreadable.size() - named) + " more" : ""));
        }
        if (limit != null) {
            problems.add(limit);
        }
        return new Perfdata(metrics, problems.isEmpty() ? null
                : String.join("; ", problems) + "; perfdata: " + cut(text, MAX_RAW_BYTES));
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

    /** Names an unreadable item, cut to {@link #MAX_ITEM_BYTES}, and why it cannot be read. */
    private static String item(String item, String why) {
        return "\"" + cut(item, MAX_ITEM_BYTES) + "\" (" + why + ")";
    }

    /** Cuts text to {@code maxBytes} of UTF-8 by whole characters (half of a surrogate pair would be U+FFFD). */
    private static String cut(String text, int maxBytes) {
        String kept = Text.cutUtf8(text, maxBytes);
        return kept.length() < text.length() ? kept + "…" : kept;
    }

    /** Reads a label at {@code start} into {@code label}; returns the index after it, or -1 if a quote is unclosed. */
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

    /** Adds the metric in {@code item}, what follows the {@code =}, to {@code metrics}; returns why not, or null. */
    private static String read(String label, String item, List<Metric> metrics) {
        String[] fields = item.split(";", -1);
        // Empty fields past the fifth, as in x=5;;;;; from some plugins, say nothing.
        for (int i = 5; i < fields.length; i++) {
            if (!fields[i].isEmpty()) {
                return "more than five fields";
            }
        }
        BigDecimal value = null;
        String unit = "";
        if (!fields[0].equals("U")) {
            Matcher matcher = VALUE.matcher(fields[0]);
            if (!matcher.matches()) {
                return "the value is no number or U";
            }
            value = decimal(matcher.group(1));
            if (value == null) {
                return "the value is past what a double holds";
            }
            unit = matcher.group(2) == null ? "" : matcher.group(2);
        }
        metrics.add(new Metric(label, value, unit, field(fields, 1), field(fields, 2), field(fields, 3),
                field(fields, 4)));
        return null;
    }

    /** Returns the number, or {@code null} if it is past what a double holds. */
    private static BigDecimal decimal(String number) {
        try {
            BigDecimal value = new BigDecimal(number.replace(',', '.'));
            return value.abs().compareTo(MAX_VALUE) > 0 ? null : value;
        } catch (NumberFormatException exponentOverflow) {
            return null;
        }
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
