package io.hanse.api.timeline;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.security.Permission;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

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

    /**
     * The namespaces of the kernel's own records: {@code system.created} and the like, {@code
     * status.changed}, {@code agent.lost} and {@code agent.back}.
     */
    private static final Set<String> KERNEL_NAMESPACES = Set.of("system", "status", "agent");

    public EventDraft {
        if (id != null && !isId(id)) {
            throw new InvalidRequestException("event id must be 1 to 200 letters, digits and . _ -, and : in the ids"
                    + " Hanse, its plugins and its peers give");
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
            throw new InvalidRequestException("event type " + Messages.quote(type)
                    + " must be dot-separated lower-case words such as monitoring.result, at most 100 characters");
        }
        return type;
    }

    /**
     * Checks a type a client chose, such as a user appending through the REST API: besides {@link
     * #checkType}, it is in none of the namespaces kept for the records of the kernel ({@code system},
     * {@code status}, {@code agent}) or of a plugin, whose events are in the area of its permissions
     * ({@code monitoring.state-changed}, as {@code monitoring:read}), so that nobody appends what reads
     * as one of those records.
     *
     * @param declared the permissions declared now
     * @return the type
     * @throws InvalidRequestException if it is no type, or in a namespace kept so
     * @since 0.3.0
     */
    public static String checkClientType(String type, Collection<Permission> declared) {
        String namespace = checkType(type).substring(0, type.indexOf('.'));
        if (KERNEL_NAMESPACES.contains(namespace)
                || declared.stream().anyMatch(permission -> permission.name().startsWith(namespace + ":"))) {
            throw new InvalidRequestException("event type '" + type + "' is in the namespace " + namespace + ", which"
                    + " is kept for the records of the kernel or a plugin; use a namespace of your own, such as"
                    + " deploy.finished");
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
