package io.hanse.api;

/**
 * Thrown when something the request needs, such as the database, cannot be reached now (HTTP 503).
 */
public final class UnavailableException extends HanseException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in words the caller can act on
     */
    public UnavailableException(String message) {
        super(message, null);
    }

    /**
     * @param message what went wrong, in words the caller can act on
     * @param cause the underlying failure, kept for the log and never shown to the caller
     */
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
