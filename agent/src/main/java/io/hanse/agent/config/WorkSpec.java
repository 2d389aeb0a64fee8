package io.hanse.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * One configured work-lease handler: the agent takes work items of {@code type}, at most
 * {@code concurrency} at a time, and runs {@code command} for each with the item's parameters as
 * JSON on standard input, killed after {@code timeout}.
 */
public record WorkSpec(String type, List<String> command, int concurrency, Duration timeout) {

    /** Copies the command so that the spec stays immutable. */
    public WorkSpec {
        command = List.copyOf(command);
    }
}
