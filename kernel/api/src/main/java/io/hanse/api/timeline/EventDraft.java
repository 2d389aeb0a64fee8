package io.hanse.api.timeline;

import io.hanse.api.InvalidRequestException;
import java.time.Instant;
import java.util.Objects;

/**
 * An event to append.
 *
 * @param id idempotency key of up to 200 letters, digits and {@code . _ : -}; appending a second
 *     event with the same id returns the first and stores nothing. {@code null} to generate one
 * @param type namespaced type: dot-separated lower-case words, at least two, such as
 *     {@code deploy.finished}
 * @param system the slug of the system the event is about
 * @param time when it happened; {@code null} for now
 * @param source who appends it
 * @param body a JSON object; {@code null} for {@code {}}. Its size is limited by the timeline's
 *     configuration
 */
public record EventDraft(String id, String type, String system, Instant time, Source source, String body) {

    public EventDraft {
        if (id != null && !isId(id)) {
            throw new InvalidRequestException("event id must be 1 to 200 letters, digits and . _ : -");
        }
        checkType(type);
        if (system == null || system.isBlank()) {
            throw new InvalidRequestException("event system is required");
        }
        Objects.requireNonNull(source, "source");
        body = body == null || body.isBlank() ? "{}" : body;
    }

    /**
     * Checks an event type: dot-separated lower-case words, at least two, at most 100 characters.
     *
     * @return the type
     * @throws InvalidRequestException if it is not one
     */
    public static String checkType(String type) {
        if (type == null) {
            throw new InvalidRequestException("an event needs a type, such as monitoring.result");
        }
        if (!isType(type)) {
            throw new InvalidRequestException("event type '" + type + "' must be dot-separated lower-case words "
                    + "such as monitoring.result, at most 100 characters");
        }
        return type;
    }

    // Checked by hand rather than by regular expressions: every event appended passes here, and a
    // match cost several times what these loops do.

    private static boolean isId(String id) {
        int length = id.length();
        if (length == 0 || length > 200) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (!isLower(c) && !(c >= 'A' && c <= 'Z') && !isDigit(c) && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Words of a lower-case letter, then lower-case letters, digits and {@code -}, joined by dots. */
    private static boolean isType(String type) {
        int length = type.length();
        if (length < 3 || length > 100) {
            return false;
        }
        int words = 0;
        boolean wordStarts = true;
        for (int i = 0; i < length; i++) {
            char c = type.charAt(i);
            if (wordStarts) {
                if (!isLower(c)) {
                    return false;
                }
                wordStarts = false;
                words++;
            } else if (c == '.') {
                wordStarts = true;
            } else if (!isLower(c) && !isDigit(c) && c != '-') {
                return false;
            }
        }
        return !wordStarts && words >= 2;
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
