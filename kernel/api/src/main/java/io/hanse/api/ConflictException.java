package io.hanse.api;

/**
 * Thrown when a change conflicts with the current state, such as a duplicate name (HTTP 409).
 */
public final class ConflictException extends HanseException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in words the caller can act on
     */
    public ConflictException(String message) {
        super(message, null);
    }

    /**
     * @param message what went wrong, in words the caller can act on
     * @param cause the underlying failure, kept for the log and never shown to the caller
     */
    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
