package io.hanse.agent;

import io.hanse.agent.cli.Arguments;
import io.hanse.agent.cli.CheckNowCommand;
import io.hanse.agent.cli.Console;
import io.hanse.agent.cli.EnrollCommand;
import io.hanse.agent.cli.RunCommand;
import io.hanse.agent.cli.StatusCommand;
import io.hanse.agent.cli.ValidateConfigCommand;
import io.hanse.agent.config.InvalidConfigException;
import java.io.UncheckedIOException;

/** The {@code hanse-agent} program: parses the command line and runs one command. */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: hanse-agent <command> [--config FILE] [options]",
            "",
            "commands:",
            "  enroll [--token TOKEN|-]  enroll with a one-time token: from stdin with '-', else from",
            "                            HANSE_ENROLL_TOKEN (a token on the command line is visible to others)",
            "  run                       run in the foreground until SIGTERM or SIGINT",
            "  status                    show the identity, the spool and the last send",
            "  check-now NAME            run a configured check now, print its result and send it",
            "  validate-config           check the configuration and name every problem (exit 1); a check",
            "                            whose program cannot run yet is only warned of (exit 0)",
            "",
            "options:",
            "  --config FILE             the configuration (default /etc/hanse-agent/agent.conf)",
            "  --help                    show this help",
            "");

    private Main() {
    }

    /** Runs the command line and exits with the command's exit code. */
    public static void main(String[] args) {
        System.exit(run(args, Console.system()));
    }

    /** Runs the command line and returns its exit code: 2 for a usage error. */
    public static int run(String[] args, Console console) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            return usage(console, e.getMessage());
        }
        if (arguments.help()) {
            console.out().print(USAGE);
            return 0;
        }
        if (arguments.command() == null) {
            return usage(console, "no command given");
        }
        try {
            switch (arguments.command()) {
                case "enroll":
                    return new EnrollCommand(console).run(arguments);
                case "run":
                    return new RunCommand(console).run(arguments);
                case "status":
                    return new StatusCommand(console).run(arguments);
                case "check-now":
                    return new CheckNowCommand(console).run(arguments);
                case "validate-config":
                    return new ValidateConfigCommand(console).run(arguments);
                default:
                    return usage(console, "unknown command " + arguments.command());
            }
        } catch (InvalidConfigException e) {
            e.problems().forEach(problem -> console.err().println(arguments.config() + ": " + problem));
            return 1;
        } catch (IllegalStateException | UncheckedIOException e) {
            console.err().println("hanse-agent: " + e.getMessage());
            return 1;
        }
    }

    private static int usage(Console console, String problem) {
        console.err().println("hanse-agent: " + problem);
        console.err().print(USAGE);
        return 2;
    }
}
