package io.hanse.api.system;

import io.hanse.api.InvalidRequestException;
import java.util.List;
import java.util.Objects;

/** Length and presence checks shared by the model types of this package. */
final class Texts {

    static final int WORD_MAX = 63;
    static final int NAME_MAX = 200;
    static final int TEXT_MAX = 10_000;
    static final int LIST_MAX = 100;

    private Texts() {
    }

    static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + " is required");
        }
        return optional(field, value, max);
    }

    static String optional(String field, String value, int max) {
        String trimmed = value == null ? "" : value.strip();
        if (trimmed.length() > max) {
            throw new InvalidRequestException(field + " is longer than " + max + " characters");
        }
        return trimmed;
    }

    static List<String> names(String field, List<String> values) {
        List<String> list = values == null ? List.of() : values;
        if (list.size() > LIST_MAX) {
            throw new InvalidRequestException("more than " + LIST_MAX + " " + field + "s");
        }
        return list.stream()
                .map(value -> required(field, Objects.toString(value, null), NAME_MAX))
                .distinct()
                .toList();
    }
}
