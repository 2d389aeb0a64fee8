package io.hanse.monitoring.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.kernel.store.Database;
import io.hanse.monitoring.internal.Downtime;
import io.hanse.monitoring.internal.MonitoringParts;
import io.hanse.testing.Printed;
import io.hanse.testing.TestCaller;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The downtime commands take and show downtimes as REST does; by the real clock. */
class DowntimeCommandsTest {

    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    private static String added(MonitoringParts parts, Consumer<DowntimeAddCommand> options) {
        DowntimeAddCommand add = new DowntimeAddCommand();
        add.downtimes = parts.downtimes;
        add.system = "web-1";
        add.comment = "x";
        options.accept(add);
        return Printed.captured(() -> add.execute(ALICE)).strip();
    }

    @Test
    void aZoneGoesWithARecurrenceOrALocalTimeAsRestRefusesOneWithNeither() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, Instant.now())) {
            parts.system("web-1");
            assertEquals("--zone is the time zone of a recurrence or of a local --starts or --ends; a one-off downtime"
                    + " given neither has none", assertThrows(InvalidRequestException.class, () -> added(parts, d -> {
                        d.duration = "PT1H";
                        d.zone = "Europe/Berlin";
                    })).getMessage());
            assertThrows(InvalidRequestException.class, () -> added(parts, d -> {
                d.starts = "2099-12-08T21:00:00Z";
                d.ends = "2099-12-08T22:00:00Z";
                d.zone = "Europe/Berlin";
            }), "instants say their own offset");
            assertEquals("--duration must be a duration longer than zero, such as PT1H, not 'PT-1H'",
                    assertThrows(InvalidRequestException.class, () -> added(parts, d -> d.duration = "PT-1H"))
                            .getMessage());
            assertTrue(parts.downtimes.list().isEmpty());

            added(parts, d -> {
                d.starts = "2099-12-08T22:00";
                d.duration = "PT1H";
                d.zone = "Europe/Berlin";
            });
            Downtime oneOff = parts.downtimes.list().get(0);
            assertEquals(Instant.parse("2099-12-08T21:00:00Z"), oneOff.starts(), "read in the zone");
            assertNull(oneOff.recurrence());
        }
    }
}
