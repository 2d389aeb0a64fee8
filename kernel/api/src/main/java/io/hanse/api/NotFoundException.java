package io.hanse.api;

/**
 * Thrown when the thing asked for does not exist (HTTP 404).
 */
public final class NotFoundException extends HanseException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in words the caller can act on
     */
    public NotFoundException(String message) {
        super(message, null);
    }

    /**
     * @param message what went wrong, in words the caller can act on
     * @param cause the underlying failure, kept for the log and never shown to the caller
     */
    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
