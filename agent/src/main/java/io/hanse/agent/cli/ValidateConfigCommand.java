package io.hanse.agent.cli;

import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.config.CheckSpec;
import io.hanse.agent.config.InvalidConfigException;
import io.hanse.agent.config.WorkSpec;
import java.util.stream.Collectors;

/**
 * {@code hanse-agent validate-config}: names every problem of the configuration, or sums it up. A check
 * whose program cannot run yet is warned of on standard error but is no problem: the configuration is
 * valid, and the check reports UNKNOWN until its program can run.
 */
public final class ValidateConfigCommand {

    private final Console console;

    /** Creates the command on {@code console}. */
    public ValidateConfigCommand(Console console) {
        this.console = console;
    }

    /** Checks the configuration; returns 0 if it is valid, with or without warnings, 1 if it has problems. */
    public int run(Arguments arguments) {
        AgentConfig config;
        try {
            config = ConfigWarnings.load(arguments, console);
        } catch (InvalidConfigException e) {
            e.problems().forEach(problem -> console.out().println(arguments.config() + ": " + problem));
            console.out().println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
            return 1;
        }
        console.out().println(arguments.config() + " is valid: server " + config.server() + ", state in "
                + config.stateDir());
        console.out().println("  checks: " + (config.checks().isEmpty() ? "none" : config.checks().stream()
                .map(CheckSpec::name).collect(Collectors.joining(", "))));
        console.out().println("  work:   " + (config.work().isEmpty() ? "none" : config.work().stream()
                .map(WorkSpec::type).collect(Collectors.joining(", "))));
        return 0;
    }
}
