package io.hanse.api.rest;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** Reads request parameters the same way in every resource, with errors that name the parameter. */
public final class Parameters {

    /** The earliest time Hanse takes: PostgreSQL and H2 store years 1 to 9999 alike, PostgreSQL no later. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest time Hanse takes. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Parameters() {
    }

    /**
     * Returns an ISO-8601 time such as {@code 2026-11-23T10:15:30Z}, or {@code null} if the
     * parameter is absent.
     *
     * @throws InvalidRequestException naming the parameter if it is not such a time, or not a
     *     {@linkplain #storable storable} one
     */
    public static Instant instant(String name, String value) {
        try {
            return value == null ? null : storable(name, Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 time such as 2026-11-23T10:15:30Z, not "
                    + Messages.quote(value));
        }
    }

    /**
     * Returns a time, or {@code null}, if it lies between {@link #EARLIEST} and {@link #LATEST}.
     *
     * @throws InvalidRequestException naming the field otherwise
     */
    public static Instant storable(String name, Instant time) {
        if (time != null && (time.isBefore(EARLIEST) || time.isAfter(LATEST))) {
            throw notStorable(name, time);
        }
        return time;
    }

    /**
     * Returns the time a duration after another, such as when something given {@code --expires
     * PT4H} ends, if Hanse can store it.
     *
     * @throws InvalidRequestException naming the parameter if it is not storable, also for a
     *     duration such as {@code PT9223372036854775807S} that takes it past what a time holds at all
     */
    public static Instant plus(String name, Instant time, Duration duration) {
        try {
            return storable(name, time.plus(duration));
        } catch (DateTimeException | ArithmeticException beyondInstant) {
            throw notStorable(name, time + " + " + duration);
        }
    }

    /**
     * The error for a time outside what Hanse stores, also for one such as epoch second
     * 9223372036854775807 that an {@link Instant} cannot hold at all.
     *
     * @param value the time as given
     */
    public static InvalidRequestException notStorable(String name, Object value) {
        return new InvalidRequestException(name + " must be a time in the years 1 to 9999, not " + value);
    }

    /**
     * Returns an ISO-8601 duration such as {@code PT1H} or {@code P30D}, or {@code null} if the
     * parameter is absent.
     *
     * @throws InvalidRequestException naming the parameter if it is not such a duration
     */
    public static Duration duration(String name, String value) {
        try {
            return value == null ? null : Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 duration such as PT1H or P30D, not "
                    + Messages.quote(value));
        }
    }

    /**
     * Returns an id.
     *
     * @throws InvalidRequestException naming the parameter if it is not a UUID
     */
    public static UUID id(String name, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequestException(name + " must be an id such as 0b7e…, not " + Messages.quote(value));
        }
    }

    /**
     * Refuses a list with a {@code null} element, naming the list and the index, such as {@code links[2] is null}.
     *
     * @return the list; an empty one for {@code null}
     * @since 0.5.0
     */
    public static <T> List<T> elements(String name, List<T> values) {
        List<T> list = values == null ? List.of() : values;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new InvalidRequestException(name + "[" + i + "] is null");
            }
        }
        return list;
    }

    /**
     * Returns a request body that must be there.
     *
     * @param what what the body should be, for the error: "a JSON object with name and systems"
     * @throws InvalidRequestException if there is none
     */
    public static <T> T body(T body, String what) {
        if (body == null) {
            throw new InvalidRequestException(what + " is required");
        }
        return body;
    }
}
