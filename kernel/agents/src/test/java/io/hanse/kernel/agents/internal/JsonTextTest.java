package io.hanse.kernel.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.junit.jupiter.api.Test;

/** JSON passed on as text: compact, and with every number as it was sent. */
class JsonTextTest {

    record Holder(@JsonDeserialize(using = JsonText.class) String body, int after) {
    }

    private static String read(String body) throws Exception {
        Holder holder = new ObjectMapper().readValue("{\"body\": " + body + ", \"after\": 7}", Holder.class);
        assertEquals(7, holder.after(), "what follows the value is read as before");
        return holder.body();
    }

    @Test
    void numbersKeepEveryDigitAndTheRestIsCompact() throws Exception {
        assertEquals("{\"value\":0.12345678901234567890123,\"big\":123456789012345678901234567890,\"e\":1.5E+300,"
                + "\"list\":[1.10,-2.50,{\"x\":null}],\"s\":\"a \\\"b\\\"\"}",
                read("{ \"value\": 0.12345678901234567890123, \"big\": 123456789012345678901234567890, \"e\": 1.5e300,"
                        + " \"list\": [1.10, -2.50, {\"x\": null}], \"s\": \"a \\\"b\\\"\" }"));
        assertEquals("3.14159265358979323846264338327950288", read("3.14159265358979323846264338327950288"));
        assertEquals("[]", read("[ ]"));
    }
}
