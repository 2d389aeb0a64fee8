package io.hanse.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown when a caller must wait before trying again, for instance after too many failed logins
 * (HTTP 429 with {@code Retry-After}).
 */
public final class TooManyRequestsException extends HanseException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * @param message what was refused
     * @param retryAfter how long to wait before the next attempt
     */
    public TooManyRequestsException(String message, Duration retryAfter) {
        super(message, null);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** Returns how long the caller should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
