package io.hanse.agent.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void nulIsWrittenAsTheReplacementCharacterAndEverythingElseAsJsonHasIt() {
        byte[] written = Json.bytes(Json.object().put("output", "bin\u0000ary \"quoted\"\n\u0001é"));
        assertEquals("{\"output\":\"bin\uFFFDary \\\"quoted\\\"\\n\\u0001é\"}",
                new String(written, StandardCharsets.UTF_8));
        assertEquals("bin\uFFFDary \"quoted\"\n\u0001é", Json.parse(written).path("output").asText());
    }

    @Test
    void charactersBeyondAsciiAreWrittenAsUtf8AndOnlyWhatJsonRequiresIsEscaped() {
        byte[] written = Json.bytes(Json.object().put("t", "é€\uD83D\uDE00\u2028\"\\\u001f/"));
        assertArrayEquals("{\"t\":\"é€\uD83D\uDE00\u2028\\\"\\\\\\u001F/\"}".getBytes(StandardCharsets.UTF_8), written);
    }

    @Test
    void aLoneSurrogateIsWrittenAsTheReplacementCharacter() {
        ObjectNode object = Json.object().put("a\uD83Db", "\uDE00\uD83D").put("end", "x\uD83D");
        assertArrayEquals("{\"a\uFFFDb\":\"\uFFFD\uFFFD\",\"end\":\"x\uFFFD\"}".getBytes(StandardCharsets.UTF_8),
                Json.bytes(object));
    }

    @Test
    void fitCutsATextBetweenCharactersUntilItsObjectsJsonIsWithinTheLimit() {
        // {"t":"x😀😀"} is 17 bytes, {"t":"x😀…"} 16 and {"t":"x…"} 12.
        assertEquals("x\uD83D\uDE00…", fitted("x\uD83D\uDE00\uD83D\uDE00", 16));
        assertEquals("x…", fitted("x\uD83D\uDE00\uD83D\uDE00", 15));
        // {"t":"\\u0001…"} is 17 bytes: six for the escaped control character, three for the mark.
        assertEquals("\u0001…", fitted("\u0001\u0001\u0001", 22));
        assertEquals("\u0001\u0001\u0001", fitted("\u0001\u0001\u0001", 26));
    }

    @Test
    void aResultIsCutToTheLimitAsTheServerMeasuresIt() throws IOException {
        // 2, 4, 6 and 1 bytes written: every width of character, the cut landing on each in turn.
        String unit = "é\uD83D\uDE00\u0001x";
        for (int pad = 0; pad < 13; pad++) {
            String output = "a".repeat(pad) + unit.repeat(Json.MAX_OBJECT_BYTES / 13 + 100);
            ObjectNode result = Json.object().put("exitCode", 0).put("output", output);
            Json.fit(result, "output", Json.MAX_OBJECT_BYTES);

            byte[] written = Json.bytes(result);
            // The server measures the result as Jackson writes it to a string, in UTF-8.
            int measured = new ObjectMapper().readTree(written).toString().getBytes(StandardCharsets.UTF_8).length;
            assertEquals(written.length, measured);
            // One more character, of at most six bytes, would not have fitted.
            assertTrue(written.length <= Json.MAX_OBJECT_BYTES && written.length > Json.MAX_OBJECT_BYTES - 6,
                    written.length + " bytes");
            String cut = result.path("output").textValue();
            String kept = cut.substring(0, cut.length() - 1);
            assertTrue(cut.endsWith("…") && output.startsWith(kept));
            assertFalse(Character.isHighSurrogate(kept.charAt(kept.length() - 1)), "cut inside a character");
        }
    }

    private static String fitted(String text, int maxBytes) {
        ObjectNode object = Json.object().put("t", text);
        Json.fit(object, "t", maxBytes);
        return object.path("t").textValue();
    }
}
