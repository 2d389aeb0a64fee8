package io.hanse.agent.check;

import java.util.Locale;

/** A check's state by the Nagios plugin convention: exit code 0, 1, 2 or 3; anything else is unknown. */
public enum CheckStatus {
    /** Exit code 0. */
    OK,
    /** Exit code 1. */
    WARNING,
    /** Exit code 2. */
    CRITICAL,
    /** Exit code 3, any other code, a timeout or a program that cannot start. */
    UNKNOWN;

    /** Returns the status a plugin's exit code stands for. */
    public static CheckStatus of(int exitCode) {
        return exitCode >= 0 && exitCode < values().length ? values()[exitCode] : UNKNOWN;
    }

    /** Returns the exit code that stands for this status, which {@code check-now} exits with. */
    public int code() {
        return ordinal();
    }

    /** Returns the name the protocol uses: {@code ok}, {@code warning}, {@code critical}, {@code unknown}. */
    public String protocolName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
