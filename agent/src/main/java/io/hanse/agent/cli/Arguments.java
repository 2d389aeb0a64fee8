package io.hanse.agent.cli;

import io.hanse.agent.config.AgentConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command line: {@code <command> [--config FILE] [--token TOKEN|-] [NAME]}, or {@code --help}.
 *
 * @param command the command, or {@code null} if none was given
 * @param config the configuration file
 * @param token the {@code --token} value, or {@code null}
 * @param operands what follows the command that is not an option
 * @param help whether {@code --help} was given
 */
public record Arguments(String command, Path config, String token, List<String> operands, boolean help) {

    /** Copies the list so that the arguments stay immutable. */
    public Arguments {
        operands = List.copyOf(operands);
    }

    /**
     * Parses a command line.
     *
     * @throws IllegalArgumentException naming an unknown option or one missing its value
     */
    public static Arguments parse(String[] args) {
        String command = null;
        Path config = AgentConfig.DEFAULT_FILE;
        String token = null;
        boolean help = false;
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help":
                case "-h":
                    help = true;
                    break;
                case "--config":
                    config = Path.of(value(args, ++i, arg));
                    break;
                case "--token":
                    token = value(args, ++i, arg);
                    break;
                default:
                    if (arg.startsWith("-") && !arg.equals("-")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    if (command == null) {
                        command = arg;
                    } else {
                        operands.add(arg);
                    }
            }
        }
        return new Arguments(command, config, token, operands, help);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
