package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.AuditRecord;
import io.hanse.kernel.store.AuditVerification;
import io.hanse.kernel.store.Database;
import io.hanse.testing.KernelDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcAuditLogTest extends OnBothDatabases {

    private static final Instant T0 = Instant.parse("2020-01-01T10:00:00Z");

    private static AuditEntry entry(String actor, String action, String target) {
        return new AuditEntry(new Source(Source.Kind.USER, actor), action, target, null, "{\"n\":1}");
    }

    private static AuditQuery byActor(String actor) {
        return new AuditQuery(actor, null, null, null, 0, 1000);
    }

    private static AuditRecord appendAt(DataSource dataSource, AuditEntry entry, Instant time) {
        return new Jdbc(dataSource).inTransaction(connection -> AuditChain.append(connection, entry, time));
    }

    private static void sql(DataSource dataSource, String sql, Object... parameters) {
        new Jdbc(dataSource).inTransaction(connection -> Jdbc.execute(connection, sql, parameters));
    }

    private static List<String> targets(List<AuditRecord> records) {
        return records.stream().map(record -> record.entry().target()).toList();
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void chainsEachEntryToTheOneBeforeAndKeepsItAsWritten(Database.Kind kind) {
        JdbcAuditLog log = audit(kind);
        AuditEntry created = new AuditEntry(new Source(Source.Kind.USER, "chain"), "user.create", "user/bob", null,
                "{\"name\":\"bob\"}");
        AuditEntry emptied = new AuditEntry(new Source(Source.Kind.PEER, "chain"), "user.update", "user/bob",
                "{\"name\":\"bob\"}", "");
        AuditEntry deleted = new AuditEntry(new Source(Source.Kind.KERNEL, "chain"), "user.delete", "user/bob", "",
                null);

        List<AuditRecord> written = List.of(log.append(created), log.append(emptied),
                appendAt(dataSource(kind), deleted, T0.plusNanos(123_456_789)));

        List<AuditRecord> newestFirst = new ArrayList<>(written);
        Collections.reverse(newestFirst);
        assertEquals(newestFirst, log.query(byActor("chain")), "read back as written, newest first");
        assertEquals(List.of(created, emptied, deleted), written.stream().map(AuditRecord::entry).toList());
        assertEquals(T0.plusNanos(123_456_000), written.get(2).time(), "times are kept to the microsecond");
        for (int i = 1; i < written.size(); i++) {
            assertEquals(written.get(i - 1).seq() + 1, written.get(i).seq());
            assertEquals(written.get(i - 1).hash(), written.get(i).previousHash());
        }
        for (AuditRecord record : written) {
            assertEquals(AuditChain.hash(record.seq(), record.time(), record.entry(), record.previousHash()),
                    record.hash());
        }
        assertEquals(new AuditVerification(true, written.get(2).seq(), 0, null), log.verify());
    }

    @Test
    void hashTellsMissingFromEmptyAndFieldBoundariesApart() {
        Source actor = new Source(Source.Kind.USER, "alice");
        String missing = AuditChain.hash(1, T0, new AuditEntry(actor, "a", "t", null, "x"), AuditChain.GENESIS);
        String empty = AuditChain.hash(1, T0, new AuditEntry(actor, "a", "t", "", "x"), AuditChain.GENESIS);
        String shifted = AuditChain.hash(1, T0, new AuditEntry(actor, "at", "", null, "x"), AuditChain.GENESIS);

        assertNotEquals(missing, empty);
        assertNotEquals(missing, shifted);
        assertTrue(missing.matches("[0-9a-f]{64}"), missing);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void queriesByActorTargetAndTimeNewestFirstWithPaging(Database.Kind kind) {
        JdbcAuditLog log = audit(kind);
        DataSource dataSource = dataSource(kind);
        appendAt(dataSource, entry("q-alice", "system.create", "system/q-web"), T0);
        appendAt(dataSource, entry("q-bob", "system.update", "system/q-web/members"), T0.plusSeconds(1));
        appendAt(dataSource, entry("q-alice", "system.create", "system/q-webshop"), T0.plusSeconds(2));
        appendAt(dataSource, entry("q-alice", "user.create", "user/q-bob"), T0.plusSeconds(3));
        appendAt(dataSource, entry("q-alice", "system.create", "system/q-w_b"), T0.plusSeconds(4));

        assertEquals(List.of("system/q-w_b", "user/q-bob", "system/q-webshop", "system/q-web"),
                targets(log.query(byActor("q-alice"))));
        assertEquals(targets(log.query(byActor("q-alice"))), targets(log.query(byActor("user:q-alice"))),
                "an actor as entries show it, kind and name");
        assertEquals(List.of(), targets(log.query(byActor("agent:q-alice"))));
        assertEquals(List.of(), targets(log.query(byActor("nobody:q-alice"))), "an unknown kind is part of a name");
        assertEquals(List.of("system/q-web/members", "system/q-web"),
                targets(log.query(new AuditQuery(null, "system/q-web", null, null, 0, 10))),
                "a target finds itself and what lies under it, not names it begins");
        assertEquals(List.of("system/q-w_b"),
                targets(log.query(new AuditQuery(null, "system/q-w_b", null, null, 0, 10))),
                "_ in a target is no wildcard");
        assertEquals(List.of("user/q-bob", "system/q-webshop"), targets(log.query(
                new AuditQuery("q-alice", null, T0.plusSeconds(1), T0.plusSeconds(4), 0, 10))));
        assertEquals(List.of("system/q-web/members"), targets(log.query(
                new AuditQuery(null, "system/q-web", T0.plusSeconds(1), null, 0, 10))));

        List<String> paged = new ArrayList<>();
        long before = 0;
        List<AuditRecord> page;
        do {
            page = log.query(new AuditQuery("q-alice", null, null, null, before, 3));
            paged.addAll(targets(page));
            before = page.isEmpty() ? 0 : page.get(page.size() - 1).seq();
        } while (page.size() == 3);
        assertEquals(targets(log.query(byActor("q-alice"))), paged, "pages of 3 give every entry once, in order");
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void refusesALimitOutsideOneToAThousand(Database.Kind kind) {
        JdbcAuditLog log = audit(kind);

        for (int limit : new int[] {0, 1001}) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> log.query(new AuditQuery(null, null, null, null, 0, limit)));
            assertEquals("limit must be 1 to 1000", refused.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void concurrentWritersFormOneChainWithoutGaps(Database.Kind kind) throws Exception {
        JdbcAuditLog log = audit(kind);
        long before = log.verify().checked();
        List<Callable<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String actor = "writer-" + w;
            writers.add(() -> {
                for (int i = 0; i < 50; i++) {
                    log.append(entry(actor, "test.write", "test/" + i));
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Void> writer : pool.invokeAll(writers)) {
                writer.get();
            }
        } finally {
            pool.shutdown();
        }

        assertEquals(new AuditVerification(true, before + 200, 0, null), log.verify());
        Set<Long> seqs = new HashSet<>();
        for (int w = 0; w < 4; w++) {
            List<AuditRecord> written = log.query(byActor("writer-" + w));
            assertEquals(50, written.size());
            written.forEach(record -> seqs.add(record.seq()));
        }
        assertEquals(200, seqs.size());
        assertEquals(before + 200, seqs.stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    /** Appends five entries to a database of its own and checks that they verify. */
    private static JdbcAuditLog fiveEntries(KernelDatabase database) {
        JdbcAuditLog log = new JdbcAuditLog(null, database.dataSource());
        for (int i = 1; i <= 5; i++) {
            log.append(entry("alice", "user.update", "user/u" + i));
        }
        assertEquals(new AuditVerification(true, 5, 0, null), log.verify());
        return log;
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void namesAnEntryChangedInTheDatabase(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcAuditLog log = fiveEntries(database);

            sql(database.dataSource(), "UPDATE hanse_audit SET target = 'user/mallory' WHERE seq = 3");

            assertEquals(new AuditVerification(false, 2, 3, "entry 3 was changed after it was written"),
                    log.verify());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void catchesEntriesRewrittenWithMatchingHashes(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcAuditLog log = fiveEntries(database);

            rewrite(database.dataSource(), log, 5);
            assertEquals(new AuditVerification(false, 4, 5,
                    "entry 5 does not match the log's head: one of them was rewritten"), log.verify());

            rewrite(database.dataSource(), log, 3);
            assertEquals(new AuditVerification(false, 3, 4,
                    "entry 4 does not link to the entry before it: one of them was rewritten"), log.verify());
        }
    }

    /** Changes an entry's target and gives it the hash that fits, as someone who knows the scheme would. */
    private static void rewrite(DataSource dataSource, JdbcAuditLog log, long seq) {
        AuditRecord record = log.query(new AuditQuery(null, null, null, null, seq + 1, 1)).get(0);
        AuditEntry forged = new AuditEntry(record.entry().actor(), record.entry().action(), "user/mallory",
                record.entry().before(), record.entry().after());
        sql(dataSource, "UPDATE hanse_audit SET target = ?, hash = ? WHERE seq = ?", forged.target(),
                AuditChain.hash(seq, record.time(), forged, record.previousHash()), seq);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void namesAnEntryDeletedFromTheMiddle(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcAuditLog log = fiveEntries(database);

            sql(database.dataSource(), "DELETE FROM hanse_audit WHERE seq = 3");

            assertEquals(new AuditVerification(false, 2, 3, "entry 3 is missing"), log.verify());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void noticesEntriesDeletedFromTheEnd(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcAuditLog log = fiveEntries(database);

            sql(database.dataSource(), "DELETE FROM hanse_audit WHERE seq = 5");
            assertEquals(new AuditVerification(false, 4, 5, "the last entry is missing"), log.verify());

            sql(database.dataSource(), "DELETE FROM hanse_audit WHERE seq = 4");
            assertEquals(new AuditVerification(false, 3, 4, "the last 2 entries are missing"), log.verify());
        }
    }
}
