package io.hanse.api.agent;

import io.hanse.api.InvalidRequestException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A wish for fresh results from the agents that report on a system. It names only what the
 * agent's own configuration already holds; the agent decides whether and how to act on it.
 *
 * @param kind {@link #REFRESH_CHECK} or {@link #REFRESH_FACTS}
 * @param system the slug of the system the results are about
 * @param check the name of the check to run again, for {@link #REFRESH_CHECK}; otherwise {@code null}
 * @param agent the one agent it is for; {@code null} for every agent that reports on the system
 */
public record Desire(String kind, String system, String check, String agent) {

    /** Run the named check again now. */
    public static final String REFRESH_CHECK = "refresh-check";
    /** Collect the host's facts again now. */
    public static final String REFRESH_FACTS = "refresh-facts";
    private static final Set<String> KINDS = Set.of(REFRESH_CHECK, REFRESH_FACTS);
    private static final Pattern CHECK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public Desire {
        if (kind == null || !KINDS.contains(kind)) {
            throw new InvalidRequestException("a desire's kind is " + REFRESH_CHECK + " or " + REFRESH_FACTS
                    + ", not " + (kind == null ? "nothing" : "'" + kind + "'"));
        }
        if (system == null || system.isBlank()) {
            throw new InvalidRequestException("a desire names the system the results are about");
        }
        if (kind.equals(REFRESH_CHECK) && (check == null || !CHECK.matcher(check).matches())) {
            throw new InvalidRequestException("a " + REFRESH_CHECK + " desire names the check: 1 to 100 letters,"
                    + " digits, '.', '_' or '-'");
        }
        if (kind.equals(REFRESH_FACTS) && check != null) {
            throw new InvalidRequestException("a " + REFRESH_FACTS + " desire names no check");
        }
    }
}
