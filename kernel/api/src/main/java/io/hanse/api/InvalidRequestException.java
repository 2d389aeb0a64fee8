package io.hanse.api;

/**
 * Thrown when input is malformed or breaks a rule; the message names the field (HTTP 400).
 */
public final class InvalidRequestException extends HanseException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in words the caller can act on
     */
    public InvalidRequestException(String message) {
        super(message, null);
    }

    /**
     * @param message what went wrong, in words the caller can act on
     * @param cause the underlying failure, kept for the log and never shown to the caller
     */
    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
