package io.hanse.kernel.agents.internal;

import io.hanse.api.InvalidRequestException;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The work types an agent says it takes, in its heartbeat and in each claim: bounded, because a
 * claim asks the store for each type by a parameter of its own.
 */
final class Capabilities {

    /** The most work types an agent may name. */
    static final int MAX = 100;
    /**
     * The most characters the work types an agent names may take as a JSON array, as they are
     * stored: one agent's that did not fit would fail storing every agent's state.
     */
    static final int MAX_JSON = 4_000;
    private static final Pattern TYPE = Pattern.compile("(?=.{3,100}$)[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

    private Capabilities() {
    }

    /**
     * Returns the work types sorted, each once.
     *
     * @throws InvalidRequestException if there are more than {@link #MAX}, or one is not a work type
     *     such as {@code probe.http}, naming the first such by its place in the list, or as a JSON
     *     array they take more than {@link #MAX_JSON} characters
     */
    static SortedSet<String> check(List<String> capabilities) {
        if (capabilities.size() > MAX) {
            throw new InvalidRequestException("capabilities name at most " + MAX + " work types, not "
                    + capabilities.size());
        }
        for (int i = 0; i < capabilities.size(); i++) {
            String type = capabilities.get(i);
            if (type == null || !TYPE.matcher(type).matches()) {
                throw new InvalidRequestException("capabilities[" + i + "] is not a work type: dot-separated"
                        + " lower-case words such as probe.http, 3 to 100 characters");
            }
        }
        SortedSet<String> types = new TreeSet<>(capabilities);
        // ["a","b"]: each type in quotes and a comma, but for the last, in brackets; a type needs no escaping.
        int json = types.stream().mapToInt(type -> type.length() + 3).sum() + 1;
        if (json > MAX_JSON) {
            throw new InvalidRequestException("capabilities take " + json + " characters as a JSON array; at most "
                    + MAX_JSON);
        }
        return types;
    }
}
