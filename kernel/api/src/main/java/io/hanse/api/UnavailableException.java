package io.hanse.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Thrown when something the request needs, such as the database, cannot be reached now (HTTP 503,
 * with {@code Retry-After} when the server knows when to come back).
 */
public final class UnavailableException extends HanseException {

    private static final long serialVersionUID = 1L;

    /** {@code null} when the server cannot tell. */
    private final Duration retryAfter;

    /**
     * @param message what went wrong, in words the caller can act on
     */
    public UnavailableException(String message) {
        this(message, (Duration) null);
    }

    /**
     * @param message what went wrong, in words the caller can act on
     * @param cause the underlying failure, kept for the log and never shown to the caller
     */
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.retryAfter = null;
    }

    /**
     * @param message what is busy, in words the caller can act on
     * @param retryAfter how long the caller should wait before trying again
     * @since 0.4.0
     */
    public UnavailableException(String message, Duration retryAfter) {
        this(message, retryAfter, null);
    }

    /**
     * @param message what cannot be reached, in words the caller can act on
     * @param retryAfter how long the caller should wait before trying again
     * @param cause the underlying failure, kept for the log and never shown to the caller
     * @since 0.5.0
     */
    public UnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /**
     * Returns how long the caller should wait before trying again, if the server can tell.
     *
     * @since 0.4.0
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
