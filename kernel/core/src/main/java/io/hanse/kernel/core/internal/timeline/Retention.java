package io.hanse.kernel.core.internal.timeline;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How long events of each type are kept: exact types, namespaces ({@code deploy.*}) and {@code *},
 * the most specific entry deciding.
 */
record Retention(Map<String, Duration> rules) {

    /**
     * Parses comma-separated entries such as {@code monitoring.result=P30D, *=P730D}.
     *
     * @throws IllegalArgumentException naming the entry that is malformed
     */
    static Retention parse(String entries) {
        Map<String, Duration> rules = new LinkedHashMap<>();
        for (String entry : entries.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String type = equals < 0 ? "" : entry.substring(0, equals).strip();
            if (type.isEmpty()
                    || !(type.equals("*") || type.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*(\\.\\*)?"))) {
                throw new IllegalArgumentException("retention entry '" + entry
                        + "' must be TYPE=DURATION, such as monitoring.result=P30D or deploy.*=P365D");
            }
            try {
                Duration keep = Duration.parse(entry.substring(equals + 1).strip());
                if (keep.isNegative() || keep.isZero()) {
                    throw new IllegalArgumentException("retention entry '" + entry + "' must keep events for a while");
                }
                rules.put(type, keep);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("retention entry '" + entry
                        + "' needs an ISO-8601 duration such as P30D or PT12H", e);
            }
        }
        return new Retention(Map.copyOf(rules));
    }

    /** Returns the other entries that are more specific than this one, which it must leave alone. */
    Set<String> exceptions(String type) {
        String prefix = type.equals("*") ? "" : type.substring(0, type.length() - 1);
        return rules.keySet().stream()
                .filter(other -> !other.equals(type) && type.endsWith("*") && other.startsWith(prefix))
                .collect(Collectors.toSet());
    }
}
