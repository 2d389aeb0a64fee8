package io.hanse.api;

/**
 * Thrown when the caller is known but may not do what it asked (HTTP 403).
 */
public final class ForbiddenException extends HanseException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in words the caller can act on
     */
    public ForbiddenException(String message) {
        super(message, null);
    }

    /**
     * @param message what went wrong, in words the caller can act on
     * @param cause the underlying failure, kept for the log and never shown to the caller
     */
    public ForbiddenException(String message, Throwable cause) {
        super(message, cause);
    }
}
