package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void sortsMemberNamesByUtf16CodeUnits() {
        // The names of RFC 8785's sorting example: the emoji (a surrogate pair, U+D83D U+DE00) sorts
        // before U+FB33, although its code point U+1F600 is larger.
        ObjectNode node = NODES.objectNode();
        node.put("\u20ac", "Euro Sign");
        node.put("\r", "Carriage Return");
        node.put("\ufb33", "Hebrew Letter Dalet With Dagesh");
        node.put("1", "One");
        node.put("\ud83d\ude00", "Emoji: Grinning Face");
        node.put("\u0080", "Control");
        node.put("\u00f6", "Latin Small Letter O With Diaeresis");

        assertEquals("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
                CanonicalJson.text(node));
    }

    @Test
    void sortsNestedObjectsAndKeepsArrayOrder() {
        ObjectNode node = CanonicalJson.parseObject(
                "{ \"b\" : [ 3, {\"z\":1, \"a\":2}, 1 ],\n"
                + " \"a\" : { \"y\" : null, \"B\" : true, \"aa\" : false } }", 1000);

        assertEquals("{\"a\":{\"B\":true,\"aa\":false,\"y\":null},\"b\":[3,{\"a\":2,\"z\":1},1]}",
                CanonicalJson.text(node));
    }

    @Test
    void escapesStringsMinimally() {
        ObjectNode node = NODES.objectNode();
        node.put("s", "\"\\\b\f\n\r\t\u0000\u0001\u001f\u007f/\u00e9\u20ac\ud83d\ude00<>&'");

        String text = CanonicalJson.text(node);

        assertEquals("{\"s\":\"\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f"
                + "\u007f/\u00e9\u20ac\ud83d\ude00<>&'\"}", text);
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), CanonicalJson.bytes(node));
    }

    @Test
    void writesNonAsciiAsLiteralUtf8() {
        ObjectNode node = NODES.objectNode().put("\u00e9", "\ud83d\ude00");

        assertArrayEquals(new byte[] {'{', '"', (byte) 0xc3, (byte) 0xa9, '"', ':', '"', (byte) 0xf0, (byte) 0x9f,
            (byte) 0x98, (byte) 0x80, '"', '}'}, CanonicalJson.bytes(node));
    }

    @Test
    void refusesUnpairedSurrogates() {
        ObjectNode lone = NODES.objectNode().put("s", "a\ud800b");
        ObjectNode reversed = NODES.objectNode().put("\ude00\ud83d", 1);

        InvalidRequestException thrown = assertThrows(InvalidRequestException.class, () -> CanonicalJson.text(lone));
        assertTrue(thrown.getMessage().contains("U+D800"), thrown.getMessage());
        assertThrows(InvalidRequestException.class, () -> CanonicalJson.bytes(reversed));
    }

    @Test
    void writesNumbersCanonically() {
        ObjectNode node = CanonicalJson.parseObject("{\"a\":1.50,\"b\":1e3,\"c\":-0.0,\"d\":1E+400,\"e\":100,"
                + "\"f\":-12.340e-2,\"g\":0.000001,\"h\":1e-7,\"i\":123456789012345678901234567890,\"j\":1e21,"
                + "\"k\":1e20,\"l\":-5,\"m\":-0,\"n\":2.5E+1,\"o\":1.0,\"p\":0.10,\"q\":-1E-400}", 1000);

        assertEquals("{\"a\":1.5,\"b\":1000,\"c\":0,\"d\":1E+400,\"e\":100,\"f\":-0.1234,\"g\":0.000001,\"h\":1E-7,"
                + "\"i\":123456789012345678901234567890,\"j\":1E+21,\"k\":100000000000000000000,\"l\":-5,\"m\":0,"
                + "\"n\":25,\"o\":1,\"p\":0.1,\"q\":-1E-400}", CanonicalJson.text(node));
    }

    @Test
    void writesNumbersBuiltInJavaAsTheirDecimalText() {
        ObjectNode node = NODES.objectNode();
        node.put("double", 0.1);
        node.put("float", 0.1f);
        node.put("round", 1000.0);
        node.put("negativeZero", -0.0);
        node.put("long", Long.MIN_VALUE);
        node.put("big", new BigInteger("-98765432109876543210987654321"));
        node.put("decimal", new BigDecimal("12.3400"));

        assertEquals("{\"big\":-98765432109876543210987654321,\"decimal\":12.34,\"double\":0.1,\"float\":0.1,"
                + "\"long\":-9223372036854775808,\"negativeZero\":0,\"round\":1000}", CanonicalJson.text(node));
    }

    @Test
    void refusesNanAndInfinity() {
        assertThrows(InvalidRequestException.class, () -> CanonicalJson.text(NODES.objectNode().put("x", Double.NaN)));
        assertThrows(InvalidRequestException.class,
                () -> CanonicalJson.text(NODES.arrayNode().add(Double.POSITIVE_INFINITY)));
        assertThrows(InvalidRequestException.class,
                () -> CanonicalJson.text(NODES.objectNode().put("x", Float.NEGATIVE_INFINITY)));
        assertThrows(InvalidRequestException.class, () -> CanonicalJson.parseObject("{\"x\":NaN}", 100));
        assertThrows(InvalidRequestException.class, () -> CanonicalJson.parseObject("{\"x\":Infinity}", 100));
    }

    @Test
    void isIdempotentOnAVariedDocument() {
        String document = """
                {
                  "z": {"\u00e9t\u00e9": [1, 2.50, -3e-4, 4E+2, 1e400, 0.0, -0, true, false, null, "",
                        "tab\\tquote\\"slash\\/ctl\\u0007 \\ud83d\\ude00 \\u2028"],
                        "nested": {"deeper": {"deepest": [[[]], {}]}}},
                  "A": "\u4e2d\u6587",
                  "a": 12345678901234567890123,
                  "\\ufb33": 1.000000000000000000000000000000001,
                  "\\ud83d\\ude00": -1.5e-10,
                  "\\u0080": {"b": 1, "a": 2}
                }
                """;

        String once = CanonicalJson.text(CanonicalJson.parseObject(document, 10_000));
        String twice = CanonicalJson.text(CanonicalJson.parseObject(once, 10_000));

        assertEquals(once, twice);
        assertTrue(once.startsWith("{\"A\":\"\u4e2d\u6587\",\"a\":12345678901234567890123,\"z\":"), once);
        assertTrue(once.contains("[1,2.5,-0.0003,400,1E+400,0,0,true,false,null,\"\","
                + "\"tab\\tquote\\\"slash/ctl\\u0007 \ud83d\ude00 \u2028\"]"), once);
        assertTrue(once.endsWith(",\"\u0080\":{\"a\":2,\"b\":1},\"\ud83d\ude00\":-1.5E-10,"
                + "\"\ufb33\":1.000000000000000000000000000000001}"), once);
    }

    @Test
    void refusesDuplicateMemberNames() {
        InvalidRequestException top = assertThrows(InvalidRequestException.class,
                () -> CanonicalJson.parseObject("{\"a\":1,\"b\":2,\"a\":3}", 100));
        assertTrue(top.getMessage().contains("'a'"), top.getMessage());

        assertThrows(InvalidRequestException.class,
                () -> CanonicalJson.parseObject("{\"x\":{\"k\":1,\"k\":1}}", 100));
    }

    @Test
    void acceptsSixtyFourLevelsAndRefusesSixtyFive() {
        String sixtyFour = "{\"a\":" + "[".repeat(63) + "]".repeat(63) + "}";
        String sixtyFive = "{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}";

        assertEquals(sixtyFour, CanonicalJson.text(CanonicalJson.parseObject(sixtyFour, 1000)));
        InvalidRequestException thrown = assertThrows(InvalidRequestException.class,
                () -> CanonicalJson.parseObject(sixtyFive, 1000));
        assertTrue(thrown.getMessage().contains("nests deeper than 64 levels"), thrown.getMessage());
    }

    @Test
    void refusesToWriteTreesDeeperThanSixtyFour() {
        ObjectNode root = NODES.objectNode();
        ArrayNode inner = root.putArray("a");
        for (int level = 3; level <= 64; level++) {
            inner = inner.addArray();
        }
        assertEquals(64, CanonicalJson.text(root).chars().filter(c -> c == '[' || c == '{').count());

        inner.addArray();

        InvalidRequestException thrown = assertThrows(InvalidRequestException.class, () -> CanonicalJson.bytes(root));
        assertTrue(thrown.getMessage().contains("deeper than 64"), thrown.getMessage());
    }

    @Test
    void refusesTooLargeInputCountingUtf8Bytes() {
        String json = "{\"a\":\"\u00e9\ud83d\ude00\"}"; // 11 UTF-16 units, 14 bytes
        assertEquals(11, json.length());

        assertEquals("\u00e9\ud83d\ude00", CanonicalJson.parseObject(json, 14).get("a").textValue());
        InvalidRequestException thrown = assertThrows(InvalidRequestException.class,
                () -> CanonicalJson.parseObject(json, 13));
        assertTrue(thrown.getMessage().contains("larger than the limit of 13 bytes"), thrown.getMessage());
        assertThrows(InvalidRequestException.class, () -> CanonicalJson.parseObject("{\"a\":\"" + "x".repeat(100)
                + "\"}", 50));
    }

    @Test
    void refusesWhatIsNotOneObject() {
        assertMessage("not an object", "[1,2]");
        assertMessage("a string, not an object", "\"text\"");
        assertMessage("empty", "");
        assertMessage("empty", "   ");
        assertMessage("malformed", "{\"a\":");
        assertMessage("malformed", "{\"a\":1}{\"b\":2}");
        assertMessage("malformed", "{\"a\":1} x");
        assertMessage("malformed", "{a:1}");
        assertMessage("malformed", "{\"a\":'x'}");
        assertMessage("malformed", "{\"a\":1,}");
        assertThrows(InvalidRequestException.class, () -> CanonicalJson.parseObject(null, 100));
    }

    @Test
    void refusesToWriteMissingValues() {
        JsonNode missing = NODES.objectNode().path("absent");

        assertThrows(InvalidRequestException.class, () -> CanonicalJson.text(missing));
        assertThrows(IllegalArgumentException.class,
                () -> CanonicalJson.text(NODES.objectNode().put("b", new byte[] {1})));
    }

    @Test
    void readsFractionsAsBigDecimal() {
        ObjectNode node = CanonicalJson.parseObject("{\"a\":0.1,\"b\":1E+400,\"c\":7}", 100);

        assertTrue(node.get("a").isBigDecimal());
        assertEquals(new BigDecimal("1E+400"), node.get("b").decimalValue());
        assertTrue(node.get("c").isIntegralNumber());
    }

    private static void assertMessage(String expected, String json) {
        InvalidRequestException thrown = assertThrows(InvalidRequestException.class,
                () -> CanonicalJson.parseObject(json, 1000));
        assertTrue(thrown.getMessage().contains(expected), json + ": " + thrown.getMessage());
    }

    @Test
    void tellsWhetherATextExceedsANumberOfBytesOfUtf8() {
        assertFalse(CanonicalJson.exceeds("abc", 3));
        assertTrue(CanonicalJson.exceeds("abcd", 3));
        assertFalse(CanonicalJson.exceeds("\u00fc\u00fc", 4), "two bytes each");
        assertTrue(CanonicalJson.exceeds("\u00fc\u00fc\u00fc", 5));
        assertFalse(CanonicalJson.exceeds("\u20ac\u20ac", 6), "three bytes each");
        assertTrue(CanonicalJson.exceeds("\u20ac\u20ac", 5));
        assertFalse(CanonicalJson.exceeds("\ud83d\ude00", 4), "a surrogate pair is four bytes");
        assertTrue(CanonicalJson.exceeds("\ud83d\ude00", 3));
        assertFalse(CanonicalJson.exceeds("", 0));
    }
}
