package io.hanse.agent.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A plugin's output split by the Nagios plugin guidelines: the first line up to {@code |} is the
 * output and the rest of it perfdata; the following lines are long output up to a line holding a
 * {@code |}, whose rest, and every line after it, is more perfdata.
 *
 * @param output the first line's text
 * @param longOutput the lines after it, joined by {@code \n}
 * @param perfdata all perfdata text, its pieces joined by a blank
 */
public record PluginOutput(String output, String longOutput, String perfdata) {

    /** Splits {@code text}, a plugin's standard output. */
    public static PluginOutput parse(String text) {
        String[] lines = text.strip().split("\r?\n", -1);
        List<String> perfdata = new ArrayList<>();
        String[] first = splitAtBar(lines[0]);
        perfdata.add(first[1]);
        List<String> longOutput = new ArrayList<>();
        int i = 1;
        for (; i < lines.length; i++) {
            String[] line = splitAtBar(lines[i]);
            longOutput.add(line[0]);
            if (!line[1].isEmpty() || lines[i].contains("|")) {
                perfdata.add(line[1]);
                i++;
                break;
            }
        }
        for (; i < lines.length; i++) {
            perfdata.add(lines[i]);
        }
        String joined = String.join(" ", perfdata.stream().map(String::strip).filter(p -> !p.isEmpty()).toList());
        return new PluginOutput(first[0].strip(), String.join("\n", longOutput).strip(), joined);
    }

    private static String[] splitAtBar(String line) {
        int bar = line.indexOf('|');
        return bar < 0 ? new String[] {line, ""} : new String[] {line.substring(0, bar), line.substring(bar + 1)};
    }
}
