package io.hanse.api.agent;

import io.hanse.api.InvalidRequestException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Work for one agent with the capability to do it.
 *
 * @param type the capability it needs, such as {@code probe.http}
 * @param parameters a JSON object the agent's own command for this type receives on its standard input
 * @param agents the names of the agents that may take it; {@code null} or empty for any that announce the type
 * @param lease how long an agent holds it before it is offered again
 * @param maxAttempts how many leases it gets before it fails
 */
public record WorkDraft(String type, String parameters, Set<String> agents, Duration lease, int maxAttempts) {

    /** The shortest and longest lease. */
    public static final Duration MIN_LEASE = Duration.ofSeconds(10);
    public static final Duration MAX_LEASE = Duration.ofDays(1);
    public static final int MAX_ATTEMPTS = 100;
    /** The most agents one item may name: they are stored together, in at most 4,000 characters. */
    public static final int MAX_AGENTS = 50;
    private static final Pattern TYPE = Pattern.compile("(?=.{3,100}$)[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");
    private static final Pattern AGENT = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

    public WorkDraft {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new InvalidRequestException("a work type is dot-separated lower-case words such as probe.http, not "
                    + (type == null ? "nothing" : "'" + type + "'"));
        }
        if (lease == null || lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
            throw new InvalidRequestException("a lease lasts " + MIN_LEASE.toSeconds() + " s to "
                    + MAX_LEASE.toHours() + " h");
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new InvalidRequestException("maxAttempts is 1 to " + MAX_ATTEMPTS);
        }
        parameters = parameters == null || parameters.isBlank() ? "{}" : parameters;
        if (agents != null && agents.size() > MAX_AGENTS) {
            throw new InvalidRequestException("a work item names at most " + MAX_AGENTS + " agents, not "
                    + agents.size());
        }
        if (agents != null && agents.stream().anyMatch(agent -> agent == null || !AGENT.matcher(agent).matches())) {
            throw new InvalidRequestException("agents are named by 1 to 64 lower-case letters, digits, '.', '_' or"
                    + " '-', starting with a letter");
        }
        agents = agents == null || agents.isEmpty() ? null : Set.copyOf(agents);
    }
}
