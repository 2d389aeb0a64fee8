package io.hanse.agent.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
