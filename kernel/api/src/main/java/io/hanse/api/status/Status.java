package io.hanse.api.status;

import java.util.Locale;

/**
 * How a system is doing, from best to worst: every constant is worse than the ones before it.
 */
public enum Status {
    /** Nobody reports on the system. */
    NO_DATA,
    OK,
    WARNING,
    /** A check could not tell; worse than a warning because nobody knows. */
    UNKNOWN,
    CRITICAL;

    /** Returns the worse of this status and the other. */
    public Status worst(Status other) {
        return other.compareTo(this) > 0 ? other : this;
    }

    /** Returns the lower-case name used in REST and the shell, such as {@code no-data}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Returns the status with this label.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static Status ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
