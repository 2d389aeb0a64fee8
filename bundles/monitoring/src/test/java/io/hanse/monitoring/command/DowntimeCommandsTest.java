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
import java.util.List;
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

    /** Adds a downtime recurring in Europe/Berlin from a local time there. */
    private static void recurring(MonitoringParts parts, String comment, String starts, String recurrence) {
        added(parts, d -> {
            d.comment = comment;
            d.starts = starts;
            d.recurrence = recurrence;
            d.zone = "Europe/Berlin";
        });
    }

    private static List<String> listed(MonitoringParts parts) {
        DowntimeListCommand list = new DowntimeListCommand();
        list.downtimes = parts.downtimes;
        return Printed.lines(() -> list.execute(ALICE));
    }

    private static String row(List<String> table, String comment) {
        return table.stream().filter(line -> line.contains(comment)).findFirst()
                .orElseThrow(() -> new AssertionError(String.join("\n", table)));
    }

    @Test
    void theListSaysEachDowntimesNextWindowInItsZoneToTheMinuteOrUntilWhenItIsActive() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, Instant.now())) {
            parts.system("web-1");
            // Far ahead, so that the real clock the command reads is before them.
            recurring(parts, "weekends", "2098-01-01T00:00", "weekly sat,sun 01:00-05:00");
            recurring(parts, "nights", "2098-01-01T00:00", "weekly fri 22:00-06:00");
            recurring(parts, "summer-ends", "2098-10-25T00:00", "weekly sun 01:00-04:00");
            added(parts, d -> {
                d.comment = "once";
                d.starts = "2099-12-08T21:00:00Z";
                d.duration = "PT1H";
            });
            added(parts, d -> {
                d.comment = "always";
                d.recurrence = "cron 0 * * * * for 1d";
            });
            List<String> table = listed(parts);
            assertTrue(row(table, "weekends").contains("| next Sat 2098-01-04 01:00-05:00 CET "), row(table,
                    "weekends"));
            assertTrue(row(table, "nights").contains("| next Fri 2098-01-03 22:00-Sat 2098-01-04 06:00 CET "),
                    row(table, "nights"));
            assertTrue(row(table, "summer-ends").contains("| next Sun 2098-10-26 01:00 CEST-04:00 CET "),
                    row(table, "summer-ends"));
            assertTrue(row(table, "once").contains("| next Tue 2099-12-08 21:00-22:00 UTC "), row(table, "once"));
            assertTrue(row(table, "always").contains("| active until "), row(table, "always"));
        }
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
            assertTrue(assertThrows(InvalidRequestException.class, () -> added(parts, d -> d.recurrence = "weekly mo"
                    + " 01:00-05:00")).getMessage().startsWith("--recurrence: "), "named as the shell's option");
            assertEquals("--zone: Berlin is not a time zone such as Europe/Berlin", assertThrows(
                    InvalidRequestException.class, () -> added(parts, d -> {
                        d.recurrence = "weekly sat 01:00-05:00";
                        d.zone = "Berlin";
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
