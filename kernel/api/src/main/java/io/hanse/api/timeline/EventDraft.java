package io.hanse.api.timeline;

import io.hanse.api.InvalidRequestException;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

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

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final Pattern TYPE = Pattern.compile("(?=.{3,100}$)[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

    public EventDraft {
        if (id != null && !ID.matcher(id).matches()) {
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
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new InvalidRequestException("event type '" + type + "' must be dot-separated lower-case words "
                    + "such as monitoring.result, at most 100 characters");
        }
        return type;
    }
}
