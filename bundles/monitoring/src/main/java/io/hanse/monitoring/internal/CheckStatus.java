package io.hanse.monitoring.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.status.Status;
import java.util.Locale;

/** What a check's last run said, after the Nagios plugin convention's exit codes 0 to 3. */
public enum CheckStatus {
    OK(Status.OK),
    WARNING(Status.WARNING),
    CRITICAL(Status.CRITICAL),
    UNKNOWN(Status.UNKNOWN);

    private final Status kernel;

    CheckStatus(Status kernel) {
        this.kernel = kernel;
    }

    /** Returns the kernel's status for the system this check speaks about. */
    public Status kernel() {
        return kernel;
    }

    /** Returns the lower-case name used in REST, the shell and results, such as {@code critical}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the status a plugin's exit code stands for: 0 to 3, and unknown for any other. */
    public static CheckStatus ofExitCode(long code) {
        return code >= 0 && code <= 3 ? values()[(int) code] : UNKNOWN;
    }

    /**
     * Returns the status with this label.
     *
     * @throws InvalidRequestException naming the field if there is none
     */
    public static CheckStatus ofLabel(String field, String label) {
        if (label != null) {
            for (CheckStatus status : values()) {
                if (status.label().equals(label)) {
                    return status;
                }
            }
        }
        throw new InvalidRequestException(field + " is ok, warning, critical or unknown, not " + Messages.quote(label));
    }
}
