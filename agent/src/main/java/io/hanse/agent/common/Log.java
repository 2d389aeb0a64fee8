package io.hanse.agent.common;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The agent's log: one line per notable event on standard error, each with a UTC timestamp and a
 * level. Messages never carry secrets; text that came from the server goes through
 * {@link Text#printable} first.
 */
public final class Log {

    private static final PrintStream OUT = System.err;

    private Log() {
    }

    /** Logs something the operator may want to know: a start, an enrollment, a recovery. */
    public static void info(String message) {
        write("INFO ", message);
    }

    /** Logs something that went wrong but that the agent works around or retries. */
    public static void warn(String message) {
        write("WARN ", message);
    }

    /** Logs something the agent cannot work around. */
    public static void error(String message) {
        write("ERROR", message);
    }

    private static void write(String level, String message) {
        OUT.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " " + message);
    }
}
