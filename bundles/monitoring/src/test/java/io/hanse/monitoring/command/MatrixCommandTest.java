package io.hanse.monitoring.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.kernel.store.Database;
import io.hanse.monitoring.internal.MonitoringParts;
import io.hanse.testing.Printed;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The matrix of systems by checks has a row for each system with checks, in the shell as in REST. */
class MatrixCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    @Test
    void anAggregateHasARowOnlyForChecksOfItsOwn() throws Exception {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("web-2");
            parts.system("shop", "web-1", "web-2");
            parts.system("all", "shop");
            parts.report("web-1", "disk", "critical", Duration.ofMinutes(5));
            parts.report("all", "uplink", "ok", Duration.ofMinutes(5));
            MatrixCommand matrix = new MatrixCommand();
            matrix.views = parts.views;

            matrix.aggregate = "shop";
            assertEquals(List.of("web-1"), systems(Printed.lines(() -> matrix.execute(ALICE))),
                    "neither shop nor web-2 has a check");
            matrix.aggregate = "all";
            assertEquals(List.of("all", "web-1"), systems(Printed.lines(() -> matrix.execute(ALICE))));
            matrix.json = true;
            JsonNode json = new ObjectMapper().readTree(String.join("\n", Printed.lines(() -> matrix.execute(ALICE))));
            assertEquals(List.of("all", "web-1"), StreamSupport.stream(json.path("rows").spliterator(), false)
                    .map(row -> row.path("system").asText()).toList(), "as REST answers: " + json);
        }
    }

    /** Returns the systems of a table's rows, below its header. */
    private static List<String> systems(List<String> table) {
        return table.stream().skip(2).map(row -> row.split("\\|")[0].strip()).toList();
    }
}
