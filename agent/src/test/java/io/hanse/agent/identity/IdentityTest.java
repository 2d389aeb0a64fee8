package io.hanse.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.agent.common.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {

    private static final Instant NOW = Instant.parse("2026-12-05T03:00:00Z");

    @TempDir
    Path dir;

    @Test
    void takesNamesFromTheAnswerAndStoresThem() {
        Identity identity = Identity.fromEnrollment(json("{\"agent\": \"web-1\", \"systems\": [\"web-1\", \"db-1\"],"
                + " \"fingerprint\": \"SHA256:abc\", \"heartbeatSeconds\": 30, \"extra\": {\"command\": \"rm\"}}"),
                "SHA256:abc", "http://h:8181", NOW);
        assertEquals(new Identity("web-1", List.of("web-1", "db-1"), "SHA256:abc", "http://h:8181", NOW), identity);
        identity.save(dir);
        assertEquals(identity, Identity.load(dir).orElseThrow());
    }

    @Test
    void refusesMalformedAnswers() {
        for (String answer : List.of("{}", "[]", "{\"agent\": 5, \"systems\": []}",
                "{\"agent\": \"a\\u001b[31m\", \"systems\": []}", "{\"agent\": \"a\", \"systems\": \"web-1\"}",
                "{\"agent\": \"a\", \"systems\": [1]}", "{\"agent\": \"a\", \"systems\": [], \"fingerprint\": \"x\"}",
                "{\"agent\": \"" + "a".repeat(201) + "\", \"systems\": []}")) {
            assertThrows(IllegalArgumentException.class,
                    () -> Identity.fromEnrollment(json(answer), "SHA256:abc", "http://h", NOW), answer);
        }
    }

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
