package io.hanse.monitoring.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.InvalidRequestException;
import io.hanse.kernel.store.Database;
import io.hanse.monitoring.internal.MonitoringParts;
import io.hanse.testing.Printed;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** monitoring:ack refuses options that do not go together rather than ignore one of them; by the real clock. */
class AckCommandTest {

    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    private static AckCommand ack(MonitoringParts parts) {
        AckCommand ack = new AckCommand();
        ack.checks = parts.checks;
        ack.system = "web-1";
        ack.check = "disk";
        return ack;
    }

    @Test
    void anExpiryInThePastIsRefusedNamingTheOption() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, Instant.now())) {
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", Duration.ZERO);
            AckCommand ack = ack(parts);
            ack.comment = "on it";
            ack.expires = "PT-5M";
            assertEquals("--expires must be a duration longer than zero, such as PT1H, not 'PT-5M'",
                    assertThrows(InvalidRequestException.class, () -> ack.execute(ALICE)).getMessage());
            assertNull(parts.checks.get("web-1", "disk").orElseThrow().ack());
        }
    }

    @Test
    void aCommentMissingOrTooLongIsRefusedNamingTheArgumentComment() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, Instant.now())) {
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", Duration.ZERO);
            AckCommand ack = ack(parts);
            assertEquals("comment is required: what is known or done, in at most 1000 characters",
                    assertThrows(InvalidRequestException.class, () -> ack.execute(ALICE)).getMessage());
            ack.comment = "x".repeat(1001);
            assertEquals("comment is at most 1000 characters, not 1001",
                    assertThrows(InvalidRequestException.class, () -> ack.execute(ALICE)).getMessage());
            assertNull(parts.checks.get("web-1", "disk").orElseThrow().ack());
        }
    }

    @Test
    void removingTakesNoCommentStickinessOrExpiryAndRemovesNothingGivenOne() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, Instant.now())) {
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", Duration.ZERO);
            parts.checks.acknowledge(ALICE, "web-1", "disk", "disk ordered", false, null);

            for (Consumer<AckCommand> wrong : List.<Consumer<AckCommand>>of(a -> a.comment = "some comment",
                    a -> a.sticky = true, a -> a.expires = "PT1H")) {
                AckCommand remove = ack(parts);
                remove.remove = true;
                wrong.accept(remove);
                assertEquals("--remove takes no comment, --sticky or --expires: it removes the acknowledgement as it"
                        + " is", assertThrows(InvalidRequestException.class, () -> remove.execute(ALICE))
                                .getMessage());
                assertNotNull(parts.checks.get("web-1", "disk").orElseThrow().ack(), "not removed");
            }

            AckCommand remove = ack(parts);
            remove.remove = true;
            assertEquals("Removed the acknowledgement of web-1/disk", Printed.captured(() -> remove.execute(ALICE))
                    .strip());
            assertNull(parts.checks.get("web-1", "disk").orElseThrow().ack());
        }
    }
}
