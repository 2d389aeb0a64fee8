package io.hanse.api.rest;

import io.hanse.api.InvalidRequestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads request parameters the same way in every resource, with errors that name the parameter. */
public final class Parameters {

    private Parameters() {
    }

    /**
     * Returns an ISO-8601 time such as {@code 2026-11-23T10:15:30Z}, or {@code null} if the
     * parameter is absent.
     *
     * @throws InvalidRequestException naming the parameter if it is not such a time
     */
    public static Instant instant(String name, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 time such as 2026-11-23T10:15:30Z, not '"
                    + value + "'");
        }
    }
}
