package io.hanse.api;

/**
 * Thrown when input is larger than a configured limit; the message names the limit (HTTP 413).
 */
public final class TooLargeException extends HanseException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was too large and what the limit is
     */
    public TooLargeException(String message) {
        super(message, null);
    }
}
