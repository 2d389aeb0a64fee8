package io.hanse.kernel.security.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditLog;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.AuditRecord;
import io.hanse.kernel.store.AuditVerification;
import io.hanse.testing.Printed;
import io.hanse.testing.TestCaller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditCommandsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final TestCaller AUDITOR = ShellUsers.holding("audrey", KernelPermissions.AUDIT_READ);

    /** An audit log that holds given records, newest first, and a given verification outcome. */
    private static final class FixedAuditLog implements AuditLog {
        final List<AuditRecord> newestFirst;
        final AuditVerification verification;
        final List<AuditQuery> queries = new ArrayList<>();

        FixedAuditLog(List<AuditRecord> newestFirst, AuditVerification verification) {
            this.newestFirst = newestFirst;
            this.verification = verification;
        }

        @Override
        public AuditRecord append(AuditEntry entry) {
            throw new UnsupportedOperationException("the commands only read");
        }

        @Override
        public List<AuditRecord> query(AuditQuery query) {
            queries.add(query);
            return newestFirst;
        }

        @Override
        public AuditVerification verify() {
            return verification;
        }
    }

    private static AuditRecord record(long seq, Source actor, String action, String target) {
        return new AuditRecord(seq, NOW.plusSeconds(seq), new AuditEntry(actor, action, target, null, "{}"),
                "0".repeat(64), "f".repeat(64));
    }

    @Test
    void entriesAreShownOldestFirstWithTheFiltersPassedOn() {
        FixedAuditLog log = new FixedAuditLog(List.of(
                record(8, new Source(Source.Kind.USER, "alice"), "token.create", "user/alice/tokens/1"),
                record(7, Source.KERNEL, "user.create", "user/admin")), null);
        AuditCommand command = new AuditCommand();
        command.audit = log;
        command.actor = "alice";
        command.target = " ";
        command.since = "2026-11-01";
        command.limit = 2;

        List<String> lines = Printed.lines(() -> command.execute(AUDITOR));

        assertEquals(List.of(new AuditQuery("alice", null, Instant.parse("2026-11-01T00:00:00Z"), null, 0, 2)),
                log.queries);
        assertEquals(List.of("Seq", "Time", "Actor", "Action", "Target"), Output.cells(lines.get(0)));
        assertEquals(List.of("7", "2026-11-23T10:00:07Z", "kernel", "user.create", "user/admin"),
                Output.cells(lines.get(2)));
        assertEquals(List.of("8", "2026-11-23T10:00:08Z", "user:alice", "token.create", "user/alice/tokens/1"),
                Output.cells(lines.get(3)));
    }

    @Test
    void theLimitIsCheckedBeforeTheLogIsRead() {
        FixedAuditLog log = new FixedAuditLog(List.of(), null);
        AuditCommand command = new AuditCommand();
        command.audit = log;
        command.limit = 1001;

        assertThrows(InvalidRequestException.class, () -> command.execute(AUDITOR));
        assertEquals(List.of(), log.queries);
    }

    @Test
    void sinceIsAnInstantADateOrADurationBack() {
        assertEquals(Instant.parse("2026-11-20T08:30:00Z"), AuditCommand.since("2026-11-20T08:30:00Z", NOW));
        assertEquals(Instant.parse("2026-11-20T00:00:00Z"), AuditCommand.since("2026-11-20", NOW));
        assertEquals(NOW.minusSeconds(3600), AuditCommand.since("PT1H", NOW));
        assertEquals(NOW.minusSeconds(86_400), AuditCommand.since("P1D", NOW));
        assertNull(AuditCommand.since(null, NOW));
        assertThrows(InvalidRequestException.class, () -> AuditCommand.since("yesterday", NOW));
        assertThrows(InvalidRequestException.class, () -> AuditCommand.since("P1M", NOW));
    }

    @Test
    void sinceIsATimeTheDatabaseStores() {
        assertEquals("--since must be a time in the years 1 to 9999, not +300000-01-01T00:00:00Z",
                assertThrows(InvalidRequestException.class,
                        () -> AuditCommand.since("+300000-01-01T00:00:00Z", NOW)).getMessage());
        assertThrows(InvalidRequestException.class, () -> AuditCommand.since("+300000-01-01", NOW));
        assertThrows(InvalidRequestException.class, () -> AuditCommand.since("P1000000D", NOW));
    }

    @Test
    void anIntactLogSaysHowManyEntriesWereChecked() {
        AuditVerifyCommand command = new AuditVerifyCommand();
        command.audit = new FixedAuditLog(List.of(), new AuditVerification(true, 1234, 0, null));

        assertEquals("Audit log intact: 1234 entries checked" + System.lineSeparator(),
                Printed.captured(() -> command.execute(AUDITOR)));
    }

    @Test
    void aBrokenLogFailsTheCommandNamingTheFirstBrokenEntry() {
        AuditVerifyCommand command = new AuditVerifyCommand();
        command.audit = new FixedAuditLog(List.of(),
                new AuditVerification(false, 57, 57, "its hash does not match its fields"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> command.execute(AUDITOR));
        assertEquals("Audit log broken at entry 57: its hash does not match its fields (57 entries checked)",
                e.getMessage());
        assertTrue(Printed.captured(() -> assertThrows(IllegalStateException.class, () -> command.execute(AUDITOR)))
                .isEmpty());
    }
}
