package io.hanse.api.security;

import io.hanse.api.InvalidRequestException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named permission, such as {@code systems:read}: an area, a colon, and what it allows there.
 *
 * @param name the name, {@code area:action} in lower case
 * @param description what it allows, in one sentence
 * @param level which built-in roles include it
 */
public record Permission(String name, String description, Level level) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}:[a-z][a-z0-9-]{0,39}");

    /** Which built-in roles include a permission: each includes its own level and those below. */
    public enum Level {
        /** Looking: in the built-in roles {@code viewer}, {@code operator} and {@code admin}. */
        READ,
        /** Day-to-day work such as acknowledging and editing systems: {@code operator} and {@code admin}. */
        OPERATE,
        /** Managing the instance, its users and its security: {@code admin} only. */
        ADMINISTER
    }

    public Permission {
        checkName(name);
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("permission " + name + " needs a description");
        }
        Objects.requireNonNull(level, "level");
    }

    /**
     * Checks the form of a permission name.
     *
     * @throws InvalidRequestException if it is not {@code area:action} in lower case
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("a permission is named area:action in lower case, such as "
                    + "systems:read, not " + (name == null ? "nothing" : "'" + name + "'"));
        }
        return name;
    }
}
