package io.hanse.agent.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * Where a command reads and writes: standard input, output and error, and the environment. Tests
 * pass their own.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error
 * @param env the environment variables
 */
public record Console(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {

    /** Returns the process's own console. */
    public static Console system() {
        return new Console(System.in, System.out, System.err, System.getenv());
    }
}
