package io.hanse.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * One configured check: a Nagios plugin run as {@code command} (already split into arguments, the
 * first an absolute path) every {@code interval}, killed after {@code timeout}, its result about
 * {@code system}; after {@code maxAttempts} failing results in a row the server takes a problem as
 * hard ({@code 0}: the server decides).
 */
public record CheckSpec(String name, List<String> command, Duration interval, Duration timeout, String system,
        int maxAttempts) {

    /** Copies the command so that the spec stays immutable. */
    public CheckSpec {
        command = List.copyOf(command);
    }
}
