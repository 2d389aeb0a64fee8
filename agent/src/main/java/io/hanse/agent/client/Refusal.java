package io.hanse.agent.client;

import java.time.Instant;

/**
 * That the server refuses the agent ({@code 401}): since when, and what its answer said.
 *
 * @param since when the first refusal of the ones in a row came, to the second
 * @param problem the status and the problem's {@code detail}, fit for a log line (see {@link Reply#problem})
 */
public record Refusal(Instant since, String problem) {
}
