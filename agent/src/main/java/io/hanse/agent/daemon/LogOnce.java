package io.hanse.agent.daemon;

import io.hanse.agent.common.Log;
import java.util.HashSet;
import java.util.Set;

/**
 * Logs each distinct message once, so that a server repeating the same bad input cannot flood the
 * log. Remembers a bounded number of messages; past that it logs nothing new.
 */
final class LogOnce {

    private static final int MAX_REMEMBERED = 256;

    private final Set<String> logged = new HashSet<>();

    /** Logs {@code message} as a warning unless it was logged before. */
    synchronized void warn(String message) {
        if (logged.size() < MAX_REMEMBERED && logged.add(message)) {
            Log.warn(message);
        }
    }
}
