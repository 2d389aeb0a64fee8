package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.instance.Instance;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.internal.JdbcAuditLog;
import io.hanse.kernel.store.internal.JdbcEventStore;
import io.hanse.kernel.store.internal.JdbcFederationStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Refusals as the log and the audit log get them: fra is a federation over H2, with a clock the test
 * moves, refusing strangers at their addresses and a peer it knows.
 */
class RefusalsTest {

    private final KernelDatabase database = KernelDatabase.h2();
    private final JdbcAuditLog audit = new JdbcAuditLog(null, database.dataSource());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final Federation fra = new Federation(new JdbcFederationStore(null, database.database(),
            database.dataSource()), audit, () -> new Instance("fra", "fra", "1.0"), new MemorySystems(),
            RestoredPeerTest.NO_ADMIN, new RestoredPeerTest.AllOk(), new MemoryTimeline(Set.of()),
            new JdbcEventStore(null, database.database(), database.dataSource()), "http://127.0.0.1:1",
            new RestoredPeerTest.Config(), clock);

    @AfterEach
    void stop() {
        database.close();
    }

    @Test
    void anAddressRefusedAgainAndAgainIsAuditedOnceAMinuteWithHowManyWereSuppressed() {
        for (int i = 1; i <= 100; i++) {
            fra.refused(null, "192.0.2.1", "not an envelope " + i);
        }
        String first = "address/192.0.2.1 {\"reason\":\"not an envelope 1\",\"suppressed\":0}";
        assertEquals(List.of(first), refusals());

        clock.advance(Duration.ofSeconds(59));
        fra.refused(null, "192.0.2.1", "not an envelope 101");
        assertEquals(List.of(first), refusals());

        clock.advance(Duration.ofSeconds(1));
        fra.refused(null, "192.0.2.1", "not an envelope 102");
        assertEquals(List.of("address/192.0.2.1 {\"reason\":\"not an envelope 102\",\"suppressed\":100}", first),
                refusals());
    }

    @Test
    void eachAddressAndEachPeerIsAuditedOnItsOwn() {
        Peer ber = LinkTest.peer("ber", InstanceKey.generate("ber"));
        fra.refused(null, "192.0.2.1", "no peer has link a");
        fra.refused(null, "192.0.2.2", "no peer has link b");
        fra.refused(ber, "192.0.2.1", "an event about db, which it has not granted to this instance");
        fra.refused(ber, "192.0.2.1", "the status of db, which it has not granted to this instance");

        assertEquals(List.of("peer/ber {\"reason\":\"an event about db, which it has not granted to this"
                + " instance\",\"suppressed\":0}",
                "address/192.0.2.2 {\"reason\":\"no peer has link b\",\"suppressed\":0}",
                "address/192.0.2.1 {\"reason\":\"no peer has link a\",\"suppressed\":0}"), refusals());
        assertEquals(2, ber.refused.get(), "every refusal is counted");
        assertEquals("the status of db, which it has not granted to this instance", ber.lastProblem());
    }

    @Test
    void theAddressesOfOneIpv6Slash64AreRefusedAsOne() {
        fra.refused(null, "2001:db8:1:2::1", "no peer has link a");
        fra.refused(null, "2001:db8:1:2:ffff::7", "no peer has link b");
        fra.refused(null, "2001:db8:1:3::1", "no peer has link c");

        assertEquals(List.of("address/2001:db8:1:3::1 {\"reason\":\"no peer has link c\",\"suppressed\":0}",
                "address/2001:db8:1:2::1 {\"reason\":\"no peer has link a\",\"suppressed\":0}"), refusals());
    }

    /** The refusals audited, newest first, as their target and what the entry says. */
    private List<String> refusals() {
        return audit.query(new AuditQuery(null, null, null, null, 0, 1000)).stream()
                .filter(record -> record.entry().action().equals("federation.refused"))
                .map(record -> record.entry().target() + " " + record.entry().after()).toList();
    }
}
