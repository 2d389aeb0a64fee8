package io.hanse.agent.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void nulIsWrittenAsTheReplacementCharacterAndEverythingElseAsJsonHasIt() {
        byte[] written = Json.bytes(Json.object().put("output", "bin\u0000ary \"quoted\"\n\u0001é"));
        assertEquals("{\"output\":\"bin\\uFFFDary \\\"quoted\\\"\\n\\u0001é\"}",
                new String(written, StandardCharsets.UTF_8));
        assertEquals("bin\uFFFDary \"quoted\"\n\u0001é", Json.parse(written).path("output").asText());
    }

    @Test
    void fitCutsATextBetweenCharactersUntilItsObjectsJsonIsWithinTheLimit() {
        // {"t":"x😀😀"} is 33 bytes, {"t":"x😀…"} 24 and {"t":"x…"} 12: the emoji is written as two escapes.
        assertEquals("x\uD83D\uDE00…", fitted("x\uD83D\uDE00\uD83D\uDE00", 24));
        assertEquals("x…", fitted("x\uD83D\uDE00\uD83D\uDE00", 23));
        // {"t":"\\u0001…"} is 17 bytes: six for the escaped control character, three for the mark.
        assertEquals("\u0001…", fitted("\u0001\u0001\u0001", 22));
        assertEquals("\u0001\u0001\u0001", fitted("\u0001\u0001\u0001", 26));
    }

    private static String fitted(String text, int maxBytes) {
        ObjectNode object = Json.object().put("t", text);
        Json.fit(object, "t", maxBytes);
        return object.path("t").textValue();
    }
}
