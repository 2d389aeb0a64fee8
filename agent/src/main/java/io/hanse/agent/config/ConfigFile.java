package io.hanse.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a configuration file as keys and values, in the Java properties syntax the agent
 * needs: {@code key = value} (or {@code key: value}), comment lines starting with {@code #} or
 * {@code !}, and a trailing backslash continuing a line that is not a comment. Two differences from
 * {@link java.util.Properties}, both so that command lines read as written: backslashes stay in the
 * value (the {@link CommandLine} splitter gives them meaning), and a {@code #} after a blank outside
 * quotes starts a comment. A key set twice is a problem, not a silent override, and so is a key with
 * a blank in it ({@code check.a b.command = …}), which properties would read as the key {@code check.a}.
 */
final class ConfigFile {

    /** After a blank that ends a key, a word and {@code =} or {@code ": "}: the key went on past the blank. */
    private static final Pattern KEY_GOES_ON = Pattern.compile("([^\\s=:]+)\\s*(=|:(\\s|$))");

    /** One key's value and the line it was set on. */
    record Entry(String key, String value, int line) {
    }

    private ConfigFile() {
    }

    /** Returns the entries of {@code lines} in file order, adding a message to {@code problems} for each bad line. */
    static Map<String, Entry> parse(List<String> lines, List<String> problems) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String first = lines.get(i).strip();
            if (first.isEmpty() || first.startsWith("#") || first.startsWith("!")) {
                // As in Java properties, a comment does not continue, even when it ends in a backslash (C:\).
                continue;
            }
            StringBuilder logical = new StringBuilder(first);
            while (logical.length() > 0 && logical.charAt(logical.length() - 1) == '\\' && i + 1 < lines.size()) {
                logical.setLength(logical.length() - 1);
                logical.append(lines.get(++i).strip());
            }
            String line = logical.toString();
            int end = 0;
            while (end < line.length() && "=: \t".indexOf(line.charAt(end)) < 0) {
                end++;
            }
            String key = line.substring(0, end);
            String rest = line.substring(end).stripLeading();
            Matcher goesOn = KEY_GOES_ON.matcher(rest);
            if (!key.isEmpty() && end < line.length() && Character.isWhitespace(line.charAt(end))
                    && goesOn.lookingAt()) {
                problems.add("line " + number + ": " + key + " " + goesOn.group(1) + ": a key cannot contain blanks");
                continue;
            }
            if (!rest.isEmpty() && (rest.charAt(0) == '=' || rest.charAt(0) == ':')) {
                rest = rest.substring(1);
            }
            String value = withoutComment(rest).strip();
            if (key.isEmpty()) {
                problems.add("line " + number + ": no key before the value");
            } else if (entries.containsKey(key)) {
                problems.add("line " + number + ": " + key + ": set again (first on line " + entries.get(key).line()
                        + ")");
            } else {
                entries.put(key, new Entry(key, value, number));
            }
        }
        return entries;
    }

    /** Returns {@code value} up to a {@code #} that follows a blank outside quotes. */
    static String withoutComment(String value) {
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"') {
                    i++;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\') {
                i++;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(value.charAt(i - 1)))) {
                return value.substring(0, i);
            }
        }
        return value;
    }
}
