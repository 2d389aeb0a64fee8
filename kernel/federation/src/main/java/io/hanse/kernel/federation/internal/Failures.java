package io.hanse.kernel.federation.internal;

import java.net.ConnectException;
import java.util.Locale;

/** Says in words what failed when a connection to or from a peer could not be made or kept. */
final class Failures {

    private Failures() {
    }

    /**
     * Returns the failure's message or, for one without, what its type says in words: the JDK's
     * {@link ConnectException} for a refused connection has no message, and becomes
     * {@code "connection refused"}; a {@code ClosedChannelException} {@code "closed channel"}.
     */
    static String described(Throwable failure) {
        String message = failure.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        String type = failure.getClass().getSimpleName().replaceAll("(Exception|Error)$", "");
        return type.isEmpty() ? failure.getClass().getName()
                : type.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
