package io.hanse.api.system;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Checks a list of names of people, teams or roles: at most {@value #LIST_MAX}, each of 1 to
     * {@value #NAME_MAX} characters. Returns them stripped, without duplicates. Control characters are
     * not refused here: names stored, or sent by peers, before this version may hold them.
     */
    static List<String> names(String field, List<String> values) {
        List<String> list = Parameters.elements(field, values);
        if (list.size() > LIST_MAX) {
            throw new InvalidRequestException("more than " + LIST_MAX + " " + field);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).strip();
            String element = field + "[" + i + "]";
            if (name.isEmpty()) {
                throw new InvalidRequestException(element + " is blank");
            }
            if (name.length() > NAME_MAX) {
                throw new InvalidRequestException(element + " is longer than " + NAME_MAX + " characters");
            }
            names.add(name);
        }
        return names.stream().distinct().toList();
    }

    /**
     * Returns how many characters names checked by {@link #names} take written as a JSON array, as
     * they are stored: each in quotes, a quote, a backslash and {@code \b \f \n \r \t} escaped in two
     * characters, the other characters below U+0020 in six ({@code \u0001}).
     */
    static int jsonLength(List<String> names) {
        int length = 2 + Math.max(0, names.size() - 1);
        for (String name : names) {
            length += 2 + name.chars().map(Texts::jsonLength).sum();
        }
        return length;
    }

    private static int jsonLength(int c) {
        return switch (c) {
            case '"', '\\', '\b', '\f', '\n', '\r', '\t' -> 2;
            default -> c < 0x20 ? 6 : 1;
        };
    }
}
