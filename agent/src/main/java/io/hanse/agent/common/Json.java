package io.hanse.agent.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * JSON as the agent reads and writes it. Everything that comes from outside is read as a tree and
 * picked apart field by field with type checks, so that unknown fields and wrong types are ignored
 * rather than trusted. What the agent writes is UTF-8 with only what JSON requires escaped (quote,
 * backslash, control characters), and never holds a character the server refuses: NUL (a check may
 * print binary, and PostgreSQL cannot store NUL) or half of a surrogate pair (which UTF-8 cannot
 * encode); each is written as U+FFFD.
 */
public final class Json {

    /**
     * The largest JSON object the server takes from an agent as one observation's body or one work
     * item's result, 64 KiB of compact UTF-8 JSON; it answers 413 to a larger one. It measures the
     * object as it writes it again: as long as the agent wrote it, except that a number may grow
     * ({@code 1E+6} becomes {@code 1000000.0}).
     */
    public static final int MAX_OBJECT_BYTES = 64 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    static {
        MAPPER.getFactory().setCharacterEscapes(new NulAsReplacement());
    }
    /** Longer than any instant with nanoseconds; keeps hostile text away from the parser. */
    private static final int MAX_INSTANT_CHARS = 64;

    private Json() {
    }

    /** JSON's own escapes, but NUL written as U+FFFD. */
    private static final class NulAsReplacement extends CharacterEscapes {

        private static final SerializedString REPLACEMENT = new SerializedString("\uFFFD");
        private final int[] escapes = standardAsciiEscapesForJSON();

        NulAsReplacement() {
            escapes[0] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        /** Asked for NUL, and for every character beyond ASCII, which keeps its own form. */
        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0 ? REPLACEMENT : null;
        }
    }

    /** Returns a new, empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Returns the bytes as a JSON tree, or a missing node when they are not one JSON value. */
    public static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** Returns the tree as compact UTF-8 JSON. */
    public static byte[] bytes(JsonNode node) {
        return write(MAPPER.writer(), node);
    }

    /** Returns the tree as indented JSON, for files people read. */
    public static byte[] prettyBytes(JsonNode node) {
        return write(MAPPER.writerWithDefaultPrettyPrinter(), node);
    }

    /**
     * Writes the tree as text, then that text as UTF-8. Jackson's own UTF-8 output escapes each half
     * of a character beyond U+FFFF, so that an emoji takes 12 bytes instead of 4, and a lone half
     * likewise, which the server refuses; its option to combine the halves still escapes a lone one,
     * or merges it with the next character. As text every character keeps its form, and the encoding
     * writes a lone half as U+FFFD.
     */
    private static byte[] write(ObjectWriter writer, JsonNode node) {
        try {
            return Text.utf8(writer.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * Cuts the text in {@code field} of {@code object} just enough, between characters and ending it
     * with {@code …}, for the object to take at most {@code maxBytes} as JSON; an object that fits is
     * left as it is. The limit is on the written JSON, in which a control character takes six bytes.
     */
    public static void fit(ObjectNode object, String field, int maxBytes) {
        String text = object.path(field).textValue();
        int excess = bytes(object).length - maxBytes;
        if (excess <= 0) {
            return;
        }
        int room = bytes(TextNode.valueOf(text)).length - excess;
        // The longest start that fits, searched by its length in code points so that no character is
        // cut in half: the whole text is too long, and the mark alone is taken to fit.
        int fits = 0;
        int tooLong = text.codePointCount(0, text.length());
        while (tooLong - fits > 1) {
            int middle = (fits + tooLong) >>> 1;
            if (bytes(TextNode.valueOf(start(text, middle))).length <= room) {
                fits = middle;
            } else {
                tooLong = middle;
            }
        }
        object.put(field, start(text, fits));
    }

    /** Returns the text's first {@code codePoints} code points, marked as cut. */
    private static String start(String text, int codePoints) {
        return text.substring(0, text.offsetByCodePoints(0, codePoints)) + "…";
    }

    /** Returns the field if it is a string of at most {@code maxChars} characters. */
    public static Optional<String> text(JsonNode node, String field, int maxChars) {
        JsonNode value = node.path(field);
        return value.isTextual() && value.textValue().length() <= maxChars
                ? Optional.of(value.textValue()) : Optional.empty();
    }

    /** Returns the field if it is an ISO-8601 instant such as {@code 2026-12-05T03:00:00Z}. */
    public static Optional<Instant> instant(JsonNode node, String field) {
        try {
            return text(node, field, MAX_INSTANT_CHARS).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Returns the field if it is an integral number that fits a long. */
    public static Optional<Long> number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isIntegralNumber() && value.canConvertToLong() ? Optional.of(value.longValue()) : Optional.empty();
    }
}
