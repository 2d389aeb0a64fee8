package io.hanse.api.system;

import io.hanse.api.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A label selector, such as {@code kind=storage,dc=fra1}: the rule by which a dynamic aggregate
 * chooses its members.
 * <p>
 * A selector is a comma-separated list of requirements, all of which must hold:
 * <ul>
 * <li>{@code key=value} (also {@code key==value}) and {@code key!=value}; {@code !=} also
 * matches systems without the label</li>
 * <li>{@code key in (a,b)} and {@code key notin (a,b)}</li>
 * <li>{@code key} (the label exists) and {@code !key} (it does not)</li>
 * </ul>
 * Keys and values are letters, digits and {@code . _ - / :}. Selectors are immutable; two selectors
 * that say the same thing are equal and print the same.
 */
public final class Selector {

    private static final int MAX_LENGTH = 1_000;

    /** How one requirement compares a label. */
    private enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    private record Requirement(String key, Operator operator, Set<String> values)
            implements Comparable<Requirement> {

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
            };
        }

        @Override
        public int compareTo(Requirement other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EQUALS -> key + "=" + values.iterator().next();
                case NOT_EQUALS -> key + "!=" + values.iterator().next();
                case IN -> key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
                case EXISTS -> key;
                case NOT_EXISTS -> "!" + key;
            };
        }
    }

    private final List<Requirement> requirements;
    private final String text;

    private Selector(List<Requirement> requirements) {
        this.requirements = List.copyOf(new TreeSet<>(requirements));
        this.text = this.requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
        // Written out it takes more room than given, such as "k in(v)" as "k in (v)"; it is stored so, and read again.
        if (text.length() > MAX_LENGTH) {
            throw new InvalidRequestException("selector is longer than " + MAX_LENGTH + " characters when written as "
                    + "Hanse writes it, with a space before each '('");
        }
    }

    /**
     * Parses a selector.
     *
     * @param text the selector, such as {@code kind=storage,dc in (fra1,ams2),!retired}
     * @return the selector
     * @throws InvalidRequestException if the text is empty, too long, or malformed; the message
     *     names the position (counted from 1) and what was expected there
     */
    public static Selector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("selector is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidRequestException("selector is longer than " + MAX_LENGTH + " characters");
        }
        return new Selector(new Parser(text).requirements());
    }

    /**
     * Returns whether a system with these labels is selected.
     */
    public boolean matches(Map<String, String> labels) {
        for (Requirement requirement : requirements) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Selector selector && text.equals(selector.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** Returns the canonical form: requirements sorted, values sorted, no spaces but around sets. */
    @Override
    public String toString() {
        return text;
    }

    /** A recursive-descent parser that remembers where it is, for error messages. */
    private static final class Parser {

        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        List<Requirement> requirements() {
            List<Requirement> requirements = new ArrayList<>();
            do {
                requirements.add(requirement());
            } while (accept(','));
            skipSpaces();
            if (position < text.length()) {
                throw error("',' or the end");
            }
            return requirements;
        }

        private Requirement requirement() {
            if (accept('!')) {
                return new Requirement(word("a label key"), Operator.NOT_EXISTS, Set.of());
            }
            String key = word("a label key");
            skipSpaces();
            if (accept('!')) {
                expect('=');
                return new Requirement(key, Operator.NOT_EQUALS, Set.of(word("a value")));
            }
            if (accept('=')) {
                accept('=');
                return new Requirement(key, Operator.EQUALS, Set.of(word("a value")));
            }
            int before = position;
            if (position < text.length() && text.charAt(position) != ',') {
                String keyword = word("'=', '!=', 'in', 'notin', ',' or the end");
                Operator operator = switch (keyword) {
                    case "in" -> Operator.IN;
                    case "notin" -> Operator.NOT_IN;
                    default -> {
                        position = before;
                        throw error("'=', '!=', 'in', 'notin', ',' or the end");
                    }
                };
                return new Requirement(key, operator, values());
            }
            return new Requirement(key, Operator.EXISTS, Set.of());
        }

        private Set<String> values() {
            expect('(');
            Set<String> values = new TreeSet<>();
            do {
                values.add(word("a value"));
            } while (accept(','));
            expect(')');
            return Collections.unmodifiableSet(values);
        }

        private String word(String expected) {
            skipSpaces();
            int start = position;
            while (position < text.length() && isWordChar(text.charAt(position))) {
                position++;
            }
            if (start == position) {
                throw error(expected);
            }
            if (position - start > Texts.WORD_MAX) {
                position = start;
                throw new InvalidRequestException("selector has a word longer than " + Texts.WORD_MAX
                        + " characters at position " + (start + 1));
            }
            return text.substring(start, position);
        }

        private boolean accept(char expected) {
            skipSpaces();
            if (position < text.length() && text.charAt(position) == expected) {
                position++;
                return true;
            }
            return false;
        }

        private void expect(char expected) {
            if (!accept(expected)) {
                throw error("'" + expected + "'");
            }
        }

        private void skipSpaces() {
            while (position < text.length() && text.charAt(position) == ' ') {
                position++;
            }
        }

        private InvalidRequestException error(String expected) {
            String found = position < text.length() ? "'" + text.charAt(position) + "'" : "the end";
            return new InvalidRequestException("invalid selector '" + text + "' at position " + (position + 1)
                    + ": expected " + expected + " but found " + found);
        }

        private static boolean isWordChar(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '-' || c == '/' || c == ':';
        }
    }
}
