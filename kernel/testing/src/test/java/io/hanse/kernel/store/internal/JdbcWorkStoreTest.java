package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.AuditRecord;
import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.StoredWorkItem;
import io.hanse.testing.KernelDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each test has a database of its own, since a claim takes whatever is open. */
class JdbcWorkStoreTest extends OnBothDatabases {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456Z");
    private static final int LEASE_SECONDS = 60;

    private static StoredWorkItem item(String type, int createdSecond, Set<String> agents, int maxAttempts) {
        return new StoredWorkItem(UUID.randomUUID(), type, "{\"target\":\"web-" + createdSecond + "\"}", agents,
                "open", 0, null, null, LEASE_SECONDS, maxAttempts, "alice", T0.plusSeconds(createdSecond), null,
                null);
    }

    private static StoredWorkItem item(String type, int createdSecond, Set<String> agents) {
        return item(type, createdSecond, agents, 3);
    }

    private static StoredWorkItem insert(JdbcWorkStore store, StoredWorkItem item) {
        store.insert(item, new AuditEntry(new Source(Source.Kind.USER, "alice"), "work.create",
                "work/" + item.id(), null, "{\"type\":\"" + item.type() + "\"}"));
        return item;
    }

    /** Stores open items in one transaction, without audit entries: quicker for hundreds of them. */
    private static void insertUnaudited(DataSource dataSource, List<StoredWorkItem> items) {
        new Jdbc(dataSource).inTransaction(connection -> {
            for (StoredWorkItem item : items) {
                Jdbc.execute(connection, "INSERT INTO hanse_work_item (id, type, parameters, state, lease,"
                        + " lease_seconds, max_attempts, created_by, created) VALUES (?, ?, ?, 'open', 0, ?, ?, ?, ?)",
                        item.id(), item.type(), item.parameters(), item.leaseSeconds(), item.maxAttempts(),
                        item.createdBy(), item.created());
            }
            return null;
        });
    }

    /** The item as a claim at {@code now} leases it to the agent. */
    private static StoredWorkItem leased(StoredWorkItem item, String agent, long lease, Instant now) {
        return new StoredWorkItem(item.id(), item.type(), item.parameters(), item.agents(), "leased", lease, agent,
                now.plusSeconds(item.leaseSeconds()), item.leaseSeconds(), item.maxAttempts(), item.createdBy(),
                item.created(), null, null);
    }

    /** The item as finished by its holder at {@code now}. */
    private static StoredWorkItem finished(StoredWorkItem item, String state, Instant now, String result) {
        return new StoredWorkItem(item.id(), item.type(), item.parameters(), item.agents(), state, item.lease(),
                item.holder(), null, item.leaseSeconds(), item.maxAttempts(), item.createdBy(), item.created(), now,
                result);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void leasesTheOldestItemsOfItsTypesThatItMayTake(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcWorkStore store = new JdbcWorkStore(null, database.dataSource());
            StoredWorkItem shell = insert(store, item("shell", 0, null));
            StoredWorkItem second = insert(store, item("probe", 2, null));
            StoredWorkItem forOther = insert(store, item("probe", 1, Set.of("agent-2")));
            StoredWorkItem first = insert(store, item("probe", 1, null));
            StoredWorkItem forBoth = insert(store, item("probe", 3, Set.of("agent-1", "agent-2")));
            // Its name holds LIKE's wildcard _: it is taken only by that very name.
            StoredWorkItem forLookalike = insert(store, item("probe", 4, Set.of("agent_1")));
            Instant now = T0.plusSeconds(10);

            List<StoredWorkItem> oldest = store.claim("agent-1", Set.of("probe"), 2, now);
            List<StoredWorkItem> rest = store.claim("agent-1", Set.of("probe"), 10, now);

            assertEquals(List.of(leased(first, "agent-1", 1, now), leased(second, "agent-1", 1, now)), oldest);
            assertEquals(List.of(leased(forBoth, "agent-1", 1, now)), rest);
            assertEquals(Optional.of(oldest.get(0)), store.find(first.id()));
            assertEquals(List.of(), store.claim("agent-1", Set.of("probe"), 10, now));
            assertEquals(List.of(leased(shell, "agent-2", 1, now), leased(forOther, "agent-2", 1, now)),
                    store.claim("agent-2", Set.of("probe", "shell"), 10, now));
            assertEquals(List.of(leased(forLookalike, "agent_1", 1, now)),
                    store.claim("agent_1", Set.of("probe"), 10, now));
            assertEquals(List.of(), store.claim("agent-1", Set.of(), 10, now));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void offersAnItemAgainOnlyAfterItsLeaseRanOutAndThenOnlyTheNewHolderCompletesIt(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcWorkStore store = new JdbcWorkStore(null, database.dataSource());
            StoredWorkItem item = insert(store, item("probe", 0, null));
            Instant first = T0.plusSeconds(10);
            Instant expiry = first.plusSeconds(LEASE_SECONDS);
            store.claim("agent-1", Set.of("probe"), 1, first);

            assertEquals(List.of(), store.claim("agent-2", Set.of("probe"), 1, first.plusSeconds(1)));
            assertEquals(List.of(), store.claim("agent-2", Set.of("probe"), 1, expiry));
            Instant second = expiry.plusNanos(1_000);
            StoredWorkItem released = leased(item, "agent-2", 2, second);
            assertEquals(List.of(released), store.claim("agent-2", Set.of("probe"), 1, second));

            assertFalse(store.complete(item.id(), 1, "agent-1", true, "{}", second.plusSeconds(1)));
            Instant done = second.plusSeconds(2);
            assertTrue(store.complete(item.id(), 2, "agent-2", true, "{\"ok\":true}", done));
            assertEquals(Optional.of(finished(released, "succeeded", done, "{\"ok\":true}")), store.find(item.id()));
            assertEquals(List.of(), store.claim("agent-3", Set.of("probe"), 1, done.plusSeconds(3_600)));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void acceptsACompletionAfterTheLeaseRanOutIfNoOneClaimedTheItemSince(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcWorkStore store = new JdbcWorkStore(null, database.dataSource());
            StoredWorkItem item = insert(store, item("probe", 0, null));
            StoredWorkItem held = store.claim("agent-1", Set.of("probe"), 1, T0).get(0);
            Instant late = T0.plusSeconds(LEASE_SECONDS * 2);

            assertTrue(store.complete(item.id(), 1, "agent-1", false, "{\"exit\":2}", late));
            assertEquals(Optional.of(finished(held, "failed", late, "{\"exit\":2}")), store.find(item.id()));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void failsAnItemWhoseLastLeaseRanOut(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcWorkStore store = new JdbcWorkStore(null, database.dataSource());
            StoredWorkItem item = insert(store, item("probe", 0, null, 2));
            Instant first = T0.plusSeconds(1);
            Instant second = first.plusSeconds(LEASE_SECONDS + 1);
            Instant third = second.plusSeconds(LEASE_SECONDS + 1);
            store.claim("agent-1", Set.of("probe"), 1, first);
            StoredWorkItem last = store.claim("agent-2", Set.of("probe"), 1, second).get(0);

            assertEquals(List.of(), store.claim("agent-3", Set.of("probe"), 1, third));
            assertEquals(Optional.of(finished(last, "failed", third, "{\"error\":\"lease expired after 2 attempts\"}")),
                    store.find(item.id()));
            assertFalse(store.complete(item.id(), 2, "agent-2", true, "{}", third.plusSeconds(1)));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void completesOnlyForTheHolderOfThatLeaseAndOnlyOnce(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcWorkStore store = new JdbcWorkStore(null, database.dataSource());
            StoredWorkItem item = insert(store, item("probe", 0, null));
            StoredWorkItem held = store.claim("agent-1", Set.of("probe"), 1, T0).get(0);
            Instant now = T0.plusSeconds(5);

            assertFalse(store.complete(item.id(), 1, "agent-2", true, "{}", now));
            assertFalse(store.complete(item.id(), 2, "agent-1", true, "{}", now));
            assertFalse(store.complete(UUID.randomUUID(), 1, "agent-1", true, "{}", now));
            assertEquals(Optional.of(held), store.find(item.id()));
            assertTrue(store.complete(item.id(), 1, "agent-1", true, "{}", now));
            assertFalse(store.complete(item.id(), 1, "agent-1", false, "{}", now.plusSeconds(1)));
            assertEquals(Optional.of(finished(held, "succeeded", now, "{}")), store.find(item.id()));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void listsNewestFirstInOneStateOrAllAndAuditsEachInsert(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcWorkStore store = new JdbcWorkStore(null, database.dataSource());
            StoredWorkItem a = insert(store, item("probe", 0, null));
            StoredWorkItem b = insert(store, item("probe", 1, Set.of("agent-1")));
            StoredWorkItem c = insert(store, item("shell", 2, null));
            StoredWorkItem leasedA = store.claim("agent-1", Set.of("probe"), 1, T0.plusSeconds(3)).get(0);

            assertEquals(List.of(c, b, leasedA), store.list(null, 10));
            assertEquals(List.of(c, b), store.list(null, 2));
            assertEquals(List.of(c, b), store.list("open", 10));
            assertEquals(List.of(leasedA), store.list("leased", 10));
            assertEquals(List.of(), store.list("failed", 10));
            assertEquals(Optional.empty(), store.find(UUID.randomUUID()));

            JdbcAuditLog log = new JdbcAuditLog(null, database.dataSource());
            for (StoredWorkItem item : List.of(a, b, c)) {
                List<AuditRecord> records = log.query(new AuditQuery(null, "work/" + item.id(), null, null, 0, 10));
                assertEquals(List.of("work.create"), records.stream().map(r -> r.entry().action()).toList());
            }
            assertTrue(log.verify().intact());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void racingClaimersLeaseEachItemExactlyOnceWhetherOpenOrExpired(Database.Kind kind) throws Exception {
        try (KernelDatabase database = fresh(kind)) {
            JdbcWorkStore store = new JdbcWorkStore(null, database.dataSource());
            List<StoredWorkItem> items = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                items.add(item("probe", i % 7, null));
            }
            insertUnaudited(database.dataSource(), items);

            Instant first = T0.plusSeconds(10);
            assertLeasedOnceEach(store, race(store, first, 1), 1);
            assertLeasedOnceEach(store, race(store, first.plusSeconds(LEASE_SECONDS + 1), 2), 2);
        }
    }

    /**
     * Lets eight claimers take five items at a time until every item has reached this lease, and
     * returns all they got.
     */
    private static List<StoredWorkItem> race(JdbcWorkStore store, Instant now, long lease) throws Exception {
        List<Callable<List<StoredWorkItem>>> claimers = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            String agent = "agent-" + c;
            claimers.add(() -> {
                List<StoredWorkItem> mine = new ArrayList<>();
                while (true) {
                    List<StoredWorkItem> got = store.claim(agent, Set.of("probe"), 5, now);
                    mine.addAll(got);
                    // A claim comes back empty also when others won all its candidates.
                    if (got.isEmpty() && store.list(null, 1000).stream().allMatch(item -> item.lease() >= lease)) {
                        return mine;
                    }
                }
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(claimers.size());
        List<StoredWorkItem> claimed = new ArrayList<>();
        try {
            for (Future<List<StoredWorkItem>> claimer : pool.invokeAll(claimers)) {
                claimed.addAll(claimer.get());
            }
        } finally {
            pool.shutdown();
        }
        return claimed;
    }

    private static void assertLeasedOnceEach(JdbcWorkStore store, List<StoredWorkItem> claimed, long lease) {
        Map<UUID, StoredWorkItem> byId = new HashMap<>();
        claimed.forEach(item -> byId.put(item.id(), item));
        assertEquals(200, claimed.size());
        assertEquals(200, byId.size());
        List<StoredWorkItem> stored = store.list(null, 1000);
        assertEquals(200, stored.size());
        for (StoredWorkItem item : stored) {
            assertEquals(byId.get(item.id()), item);
            assertEquals(lease, item.lease());
            assertEquals("leased", item.state());
        }
    }
}
