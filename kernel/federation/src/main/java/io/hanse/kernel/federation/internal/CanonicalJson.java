package io.hanse.kernel.federation.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.InvalidRequestException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical JSON form of a Jackson tree, so that a signature over it holds wherever the tree is
 * parsed and written again. It follows RFC 8785 (JCS) where JCS is exact:
 * <ul>
 * <li>object members sorted by their names' UTF-16 code units ({@link String#compareTo});</li>
 * <li>no white space;</li>
 * <li>strings escaped minimally: {@code \"}, {@code \\}, {@code \b \f \n \r \t}, the other control
 * characters as <code>&#92;u00xx</code> in lower-case hex, everything else literal UTF-8; a string with an
 * unpaired surrogate has no UTF-8 form and is refused.</li>
 * </ul>
 * Numbers differ from JCS, which writes them as ECMAScript doubles: here they are exact decimals,
 * because fractions are read as {@link BigDecimal} ({@link #READER}). Integers (numbers written
 * without fraction or exponent) are written plain. Other numbers are written as
 * {@link BigDecimal#stripTrailingZeros()}{@code .toString()}, except that zero is {@code 0} (also
 * {@code -0.0}) and integral values of up to {@value #PLAIN_DIGITS} digits are written plain:
 * {@code 1.50} becomes {@code 1.5}, {@code 1e3} becomes {@code 1000}, {@code 1E+400} stays
 * {@code 1E+400}, so that a few bytes of input cannot become megabytes of output. The form is
 * idempotent: {@code text(parse(text(x))).equals(text(x))}. That is canonical for this
 * implementation, which is all federation needs since both ends run it; it is not byte-compatible
 * with other JCS libraries for fractions and exponents.
 *
 * <p>NaN and infinite numbers, and nesting deeper than {@value #MAX_DEPTH} levels, are refused when
 * writing as when parsing.
 */
final class CanonicalJson {

    /** The deepest nesting of objects and arrays: the outermost object is level 1. */
    static final int MAX_DEPTH = 64;

    /** Integral values with at most this many digits are written plain, as ECMAScript does below 1e21. */
    static final int PLAIN_DIGITS = 21;

    /**
     * Reads JSON as federation needs it: fractions as {@link BigDecimal}, duplicate member names and
     * trailing content refused, nesting limited to {@value #MAX_DEPTH}. Immutable and shared.
     */
    static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /**
     * Returns the canonical UTF-8 bytes of a tree: the bytes to sign and to verify.
     *
     * @throws InvalidRequestException if the tree holds NaN, an infinite number, an unpaired
     *     surrogate or a missing value, or nests deeper than {@value #MAX_DEPTH}
     * @throws IllegalArgumentException if it holds binary or POJO nodes, which have no JSON form of
     *     their own
     */
    static byte[] bytes(JsonNode node) {
        return text(node).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns the canonical text of a tree; its UTF-8 encoding is {@link #bytes(JsonNode)}.
     *
     * @throws InvalidRequestException as {@link #bytes(JsonNode)}
     * @throws IllegalArgumentException as {@link #bytes(JsonNode)}
     */
    static String text(JsonNode node) {
        StringBuilder out = new StringBuilder(128);
        write(node, out, 0);
        return out.toString();
    }

    /**
     * Parses a JSON object of at most {@code maxBytes} bytes of UTF-8.
     *
     * @throws InvalidRequestException if the text is too large, not JSON, holds a member name twice,
     *     nests deeper than {@value #MAX_DEPTH} levels, or is not an object
     */
    static ObjectNode parseObject(String json, int maxBytes) {
        if (json == null) {
            throw new InvalidRequestException("the JSON is missing");
        }
        if (exceeds(json, maxBytes)) {
            throw new InvalidRequestException("the JSON is larger than the limit of " + maxBytes + " bytes");
        }
        JsonNode node;
        try {
            node = READER.readTree(json);
        } catch (StreamConstraintsException e) {
            if (e.getOriginalMessage().contains("nesting depth")) {
                throw new InvalidRequestException("the JSON nests deeper than " + MAX_DEPTH + " levels", e);
            }
            throw new InvalidRequestException("the JSON holds a value beyond a limit: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("the JSON is malformed: " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidRequestException("the JSON is empty; an object was expected");
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("the JSON is " + kind(node) + ", not an object");
        }
        return (ObjectNode) node;
    }

    /** Returns how a value is called in messages: "an array", "a string"… */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value";
        };
    }

    private static void write(JsonNode node, StringBuilder out, int depth) {
        if (node == null) {
            throw new InvalidRequestException("there is no value to write as JSON");
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                checkDepth(depth + 1);
                List<String> names = new ArrayList<>(node.size());
                for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                    names.add(it.next());
                }
                // String.compareTo orders by UTF-16 code units, which is what JCS prescribes.
                names.sort(null);
                out.append('{');
                boolean first = true;
                for (String name : names) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(name, out);
                    out.append(':');
                    write(node.get(name), out, depth + 1);
                }
                out.append('}');
            }
            case ARRAY -> {
                checkDepth(depth + 1);
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out, depth + 1);
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> out.append(number(node));
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            case MISSING -> throw new InvalidRequestException("there is no value to write as JSON");
            default -> throw new IllegalArgumentException("a " + node.getNodeType()
                    + " node has no canonical JSON form; put it as text");
        }
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidRequestException("the JSON nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    /** Returns the canonical text of a number node; see the class comment. */
    static String number(JsonNode node) {
        if (node.isIntegralNumber()) {
            // Their length is bounded by the input's, so plain is safe; written plain they parse
            // back as integers, which keeps the form idempotent.
            return node.canConvertToLong() ? Long.toString(node.longValue()) : node.bigIntegerValue().toString();
        }
        if (node.isDouble() || node.isFloat()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw new InvalidRequestException("the JSON holds " + value + ", which JSON cannot express");
            }
            // Their shortest decimal text, so 0.1f stays 0.1 rather than its binary expansion.
            return decimal(new BigDecimal(node.isFloat() ? Float.toString(node.floatValue()) : Double.toString(value)));
        }
        return decimal(node.decimalValue());
    }

    private static String decimal(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= PLAIN_DIGITS) {
            return stripped.toBigIntegerExact().toString();
        }
        return stripped.toString();
    }

    /** Writes a string's canonical form. */
    static void string(String value, StringBuilder out) {
        out.append('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < length
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new InvalidRequestException(String.format(
                                "a JSON string holds an unpaired surrogate U+%04X, which has no UTF-8 form", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Returns whether a text takes more than {@code maxBytes} bytes in UTF-8. */
    static boolean exceeds(String text, int maxBytes) {
        int length = text.length();
        // Each UTF-16 unit takes at least one byte and at most three.
        if (length > maxBytes) {
            return true;
        }
        if (length * 3L <= maxBytes) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > maxBytes;
    }
}
