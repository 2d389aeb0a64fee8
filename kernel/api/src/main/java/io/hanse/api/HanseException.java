package io.hanse.api;

/**
 * A failure the caller can act on, with a message that says what to do differently.
 * <p>
 * The hierarchy is closed so that every failure has exactly one meaning at the edges:
 * the REST layer maps each subtype to one HTTP status, the shell prints the message.
 * Anything else thrown out of a plugin is treated as an internal error.
 */
public abstract sealed class HanseException extends RuntimeException
        permits NotFoundException, InvalidRequestException, ConflictException, ForbiddenException,
        UnavailableException, TooLargeException, UnauthenticatedException, TooManyRequestsException {

    private static final long serialVersionUID = 1L;

    HanseException(String message, Throwable cause) {
        super(message, cause);
    }
}
