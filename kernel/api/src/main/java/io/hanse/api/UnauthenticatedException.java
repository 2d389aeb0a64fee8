package io.hanse.api;

/**
 * Thrown when a request carries no credentials, or credentials that do not prove who the caller is
 * (HTTP 401). The message never says which part was wrong: an unknown user, a wrong password and
 * an expired or revoked token all look the same to the caller.
 */
public final class UnauthenticatedException extends HanseException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what the caller must supply
     */
    public UnauthenticatedException(String message) {
        super(message, null);
    }
}
