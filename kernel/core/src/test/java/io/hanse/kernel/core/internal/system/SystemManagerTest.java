package io.hanse.kernel.core.internal.system;

import java.util.UUID;
import io.hanse.api.timeline.Source;
import io.hanse.api.InvalidRequestException;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.HanseException;
import io.hanse.api.NotFoundException;
import io.hanse.api.status.Cause;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusChange;
import io.hanse.api.status.StatusContributor;
import io.hanse.api.status.StatusReport;
import io.hanse.api.status.StatusSink;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemEvent;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.testing.MutableClock;
import io.hanse.testing.TestCaller;
import io.hanse.kernel.store.StoredSystem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SystemManagerTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final TestCaller ACTOR = TestCaller.everywhere("tester");

    /** A status contributor that keeps its sink so the test can report through it. */
    private static final class TestContributor implements StatusContributor {
        private final String name;
        StatusSink sink;
        int starts;
        int stops;

        TestContributor(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start(StatusSink sink) {
            this.sink = sink;
            starts++;
        }

        @Override
        public void stop() {
            stops++;
        }
    }

    /** The contributor {@link #report} reports as, added at its first report. */
    private TestContributor monitoring;

    /** Reports a status as the contributor {@code monitoring}. */
    private void report(String system, Status status, String summary) {
        if (monitoring == null) {
            monitoring = new TestContributor("monitoring");
            manager.addContributor(monitoring);
        }
        monitoring.sink.report(system, status, summary);
    }

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySystemStore store = new MemorySystemStore();
    private final List<SystemManager> managers = new ArrayList<>();
    private final BlockingQueue<SystemEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<StatusChange> statusChanges = new LinkedBlockingQueue<>();
    private SystemManager manager;
    private int flushes;
    /** Whether the container stops, as the managers see it. */
    private volatile boolean containerStopping;
    /** Whether what the managers run after a grace waits in {@link #heldBack}, or runs at once. */
    private boolean holdingBack;
    private final List<Runnable> heldBack = new ArrayList<>();

    @BeforeEach
    void start() {
        manager = newManager();
        manager.addSystemListener(events::add);
        manager.addStatusListener(statusChanges::add);
    }

    @AfterEach
    void stop() {
        managers.forEach(SystemManager::deactivate);
    }

    private SystemManager newManager() {
        SystemManager created = new SystemManager(store, clock, () -> containerStopping, (task, delay) -> {
            if (holdingBack) {
                heldBack.add(task);
            } else {
                task.run();
            }
        });
        managers.add(created);
        return created;
    }

    // --- helpers ---

    private static SystemDraft.Builder system(String slug) {
        return SystemDraft.builder(slug);
    }

    private ManagedSystem create(String slug, Map<String, String> labels, String... members) {
        return manager.create(system(slug).labels(labels).members(List.of(members)).build(), ACTOR);
    }

    private ManagedSystem create(String slug, String... members) {
        return create(slug, Map.of(), members);
    }

    private ManagedSystem createDynamic(String slug, String selector, String... members) {
        return manager.create(system(slug).selector(Selector.parse(selector))
                .members(List.of(members)).build(), ACTOR);
    }

    private ManagedSystem relabel(String slug, Map<String, String> labels) {
        return manager.update(slug, manager.get(slug).toDraft().labels(labels).build(), ACTOR);
    }

    private static List<String> slugs(List<ManagedSystem> systems) {
        return systems.stream().map(ManagedSystem::slug).toList();
    }

    private List<String> members(String slug) {
        return slugs(manager.members(slug));
    }

    private List<String> aggregates(String slug) {
        return slugs(manager.aggregates(slug));
    }

    private SystemStatus status(String slug) {
        return manager.status(slug, 10);
    }

    private Status rolledUp(String slug) {
        return status(slug).rolledUp();
    }

    private static List<List<String>> paths(SystemStatus status) {
        return status.causes().stream().map(Cause::path).toList();
    }

    private SystemEvent nextEvent() throws InterruptedException {
        SystemEvent event = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(event, "no system event within 5 seconds");
        return event;
    }

    private StatusChange nextStatusChange() throws InterruptedException {
        StatusChange change = statusChanges.poll(5, TimeUnit.SECONDS);
        assertNotNull(change, "no status change within 5 seconds");
        return change;
    }

    /**
     * Returns every system event announced so far. Events arrive in order on one thread, so once the
     * ADDED event of a fresh marker system arrives, all earlier ones have.
     */
    private List<SystemEvent> eventsSoFar() throws InterruptedException {
        String marker = "flush-" + ++flushes;
        manager.create(system(marker).labels(Map.of("flush", "yes")).build(), ACTOR);
        List<SystemEvent> seen = new ArrayList<>();
        for (SystemEvent event = nextEvent(); !(event.type() == SystemEvent.Type.ADDED
                && event.subject().slug().equals(marker)); event = nextEvent()) {
            seen.add(event);
        }
        return seen;
    }

    /** Likewise for status changes, flushed by the system events that share their thread. */
    private List<StatusChange> statusChangesSoFar() throws InterruptedException {
        eventsSoFar();
        List<StatusChange> seen = new ArrayList<>();
        statusChanges.drainTo(seen);
        return seen;
    }

    private static SystemEvent only(List<SystemEvent> events, SystemEvent.Type type, String slug) {
        List<SystemEvent> matching = events.stream()
                .filter(event -> event.type() == type && event.subject().slug().equals(slug))
                .toList();
        assertEquals(1, matching.size(), () -> "one " + type + " of " + slug + " in " + events);
        return matching.get(0);
    }

    // --- creating and reading ---

    @Nested
    class CreatingAndReading {

        @Test
        void createdSystemIsStoredAndCanBeRead() throws InterruptedException {
            ManagedSystem created = manager.create(system("db-1").name("Database 1").kind("host")
                    .labels(Map.of("role", "db")).owners(List.of("team-storage")).build(), ACTOR);

            assertEquals("db-1", created.slug());
            assertEquals("Database 1", created.name());
            assertEquals(T0, created.created());
            assertEquals(T0, created.updated());
            assertEquals(created, manager.get("db-1"));
            assertEquals(Optional.of(created), manager.find("db-1"));
            assertEquals(Optional.of(created.id()), manager.id("db-1"));
            assertEquals(1, manager.count());
            StoredSystem stored = store.stored(created.id());
            assertEquals("db-1", stored.draft().slug());
            assertEquals(Map.of("role", "db"), stored.draft().labels());
            assertEquals(T0, stored.created());
            SystemEvent added = nextEvent();
            assertEquals(SystemEvent.Type.ADDED, added.type());
            assertEquals(created, added.subject());
            assertEquals(Optional.empty(), added.previous());
        }

        @Test
        void aListenerThrowingAnErrorIsLoggedAndTheOthersAreStillToldOfThisChangeAndLaterOnes()
                throws InterruptedException {
            SystemManager other = newManager();
            BlockingQueue<String> told = new LinkedBlockingQueue<>();
            other.addSystemListener(event -> {
                throw new NoClassDefFoundError("io/hanse/plugin/Gone");
            });
            other.addSystemListener(event -> told.add(event.subject().slug()));

            other.create(system("a").build(), ACTOR);
            other.create(system("b").build(), ACTOR);

            assertEquals("a", told.poll(5, TimeUnit.SECONDS));
            assertEquals("b", told.poll(5, TimeUnit.SECONDS));
        }

        @Test
        void unknownSlugIsNotFound() {
            assertEquals(Optional.empty(), manager.find("db-9"));
            assertEquals("no system 'db-9'",
                    assertThrows(NotFoundException.class, () -> manager.get("db-9")).getMessage());
            assertThrows(NotFoundException.class, () -> manager.members("db-9"));
            assertThrows(NotFoundException.class, () -> manager.aggregates("db-9"));
            assertThrows(NotFoundException.class, () -> manager.transitiveMembers("db-9"));
            assertThrows(NotFoundException.class, () -> manager.status("db-9", 1));
            assertThrows(NotFoundException.class, () -> manager.delete("db-9", ACTOR));
        }

        @Test
        void aSlugLongerThanAnyThatCanExistIsNotRepeatedWholeInTheAnswer() {
            String slug = "a".repeat(5_000);

            assertEquals("no system '" + "a".repeat(128) + "…' (5,000 characters)",
                    assertThrows(NotFoundException.class, () -> manager.get(slug)).getMessage());
        }

        @Test
        void listFiltersByKindAndSelectorSortedBySlug() {
            manager.create(system("db-2").kind("host").labels(Map.of("role", "db", "dc", "fra1")).build(), ACTOR);
            manager.create(system("db-1").kind("host").labels(Map.of("role", "db", "dc", "ams2")).build(), ACTOR);
            manager.create(system("web-1").kind("service").labels(Map.of("role", "web", "dc", "fra1")).build(), ACTOR);

            assertEquals(List.of("db-1", "db-2", "web-1"), slugs(manager.list(null, null)));
            assertEquals(List.of("db-1", "db-2"), slugs(manager.list("host", null)));
            assertEquals(List.of("db-2", "web-1"), slugs(manager.list(null, Selector.parse("dc=fra1"))));
            assertEquals(List.of("db-2"), slugs(manager.list("host", Selector.parse("dc=fra1"))));
            assertEquals(List.of("db-1"), slugs(manager.list(null, Selector.parse("dc=ams2,role=db"))));
            assertEquals(List.of("web-1"), slugs(manager.list(null, Selector.parse("role notin (db)"))));
            assertEquals(List.of(), slugs(manager.list("datacenter", null)));
        }

        @Test
        void duplicateSlugIsAConflictAndNothingIsStored() {
            create("db-1");
            int writes = store.audit.size();

            ConflictException conflict = assertThrows(ConflictException.class,
                    () -> manager.create(system("db-1").kind("host").build(), ACTOR));

            assertEquals("system 'db-1' already exists", conflict.getMessage());
            assertEquals(writes, store.audit.size());
            assertEquals(1, manager.count());
            assertEquals("component", manager.get("db-1").kind());
        }

        @Test
        void unknownMemberIsNotFoundAndNothingIsStored() {
            create("db-1");

            NotFoundException notFound = assertThrows(NotFoundException.class, () -> create("storage", "db-1", "db-9"));

            assertEquals("no system 'db-9'", notFound.getMessage());
            assertEquals(Optional.empty(), manager.find("storage"));
            assertEquals(1, store.systems.size());
            assertEquals(List.of(), aggregates("db-1"));
        }

        @Test
        void membersAggregatesAndTransitiveMembers() {
            create("disk-1");
            create("db-1", "disk-1");
            create("db-2");
            create("storage", "db-2", "db-1");
            create("dc", "storage");

            assertEquals(List.of("db-2", "db-1"), manager.get("storage").members());
            assertEquals(List.of("db-1", "db-2"), members("storage"));
            assertEquals(List.of("db-1", "db-2", "disk-1", "storage"), manager.transitiveMembers("dc"));
            assertEquals(List.of("storage"), aggregates("db-1"));
            assertEquals(List.of(), aggregates("dc"));
            assertTrue(manager.isWithin(manager.get("disk-1").id(), manager.get("dc").id()));
            assertFalse(manager.isWithin(manager.get("dc").id(), manager.get("disk-1").id()));
        }

        @Test
        void renameKeepsTheIdAndParentsListTheNewSlug() throws InterruptedException {
            ManagedSystem db = create("db-1");
            create("storage", "db-1");
            clock.advance(Duration.ofMinutes(5));

            ManagedSystem renamed = manager.update("db-1", db.toDraft().slug("db-one").build(), ACTOR);

            assertEquals(db.id(), renamed.id());
            assertEquals("db-one", renamed.slug());
            assertEquals(T0, renamed.created());
            assertEquals(T0.plus(Duration.ofMinutes(5)), renamed.updated());
            assertEquals(Optional.empty(), manager.find("db-1"));
            assertEquals(List.of("db-one"), manager.get("storage").members());
            assertEquals(List.of("db-one"), members("storage"));
            assertEquals(List.of("storage"), aggregates("db-one"));
            assertEquals(List.of(db.id()), store.stored(manager.get("storage").id()).members());
            assertEquals("db-one", store.stored(db.id()).draft().slug());
            // and after a restart
            SystemManager restarted = newManager();
            assertEquals(List.of("db-one"), restarted.get("storage").members());
            assertEquals(db.id(), restarted.get("db-one").id());
        }

        @Test
        void renameToATakenSlugIsAConflict() {
            create("db-1");
            create("db-2");

            assertEquals("system 'db-2' already exists", assertThrows(ConflictException.class,
                    () -> manager.update("db-1", manager.get("db-1").toDraft().slug("db-2").build(), ACTOR))
                    .getMessage());
            assertTrue(manager.find("db-1").isPresent());
        }

        @Test
        void renameMustNotMakeASystemItsOwnMember() {
            create("a");

            // the draft names the system by its old slug, which still resolves to the system itself
            assertThrows(HanseException.class,
                    () -> manager.update("a", system("b").members(List.of("a")).build(), ACTOR));

            assertEquals(Optional.empty(), manager.find("b"));
            assertEquals(List.of(), members("a"));
            assertEquals(List.of(), aggregates("a"));
        }

        @Test
        void addingAnExplicitMemberTwiceChangesNothing() {
            create("db-1");
            create("storage", "db-1");
            int writes = store.audit.size();

            ManagedSystem storage = manager.addMember("storage", "db-1", ACTOR);

            assertEquals(List.of("db-1"), storage.members());
            assertEquals(writes, store.audit.size());
            assertEquals(T0, storage.updated());
        }

        @Test
        void addAndRemoveMembersAreStored() {
            create("db-1");
            create("db-2");
            create("storage");

            manager.addMember("storage", "db-2", ACTOR);
            manager.addMember("storage", "db-1", ACTOR);
            ManagedSystem storage = manager.removeMember("storage", "db-2", ACTOR);

            assertEquals(List.of("db-1"), storage.members());
            assertEquals(List.of(manager.get("db-1").id()), store.stored(storage.id()).members());
            assertEquals(List.of(), aggregates("db-2"));
            assertEquals("'db-2' is not an explicit member of 'storage'", assertThrows(NotFoundException.class,
                    () -> manager.removeMember("storage", "db-2", ACTOR)).getMessage());
            assertThrows(NotFoundException.class, () -> manager.addMember("storage", "db-9", ACTOR));
            assertThrows(NotFoundException.class, () -> manager.addMember("nothing", "db-1", ACTOR));
        }

        @Test
        void restartRebuildsExplicitAndSelectedMembers() {
            create("db-1", Map.of("role", "db"));
            create("disk-1");
            create("db-2", Map.of("role", "db"), "disk-1");
            createDynamic("pool", "role=db");
            create("storage", "pool", "db-1");

            SystemManager restarted = newManager();

            assertEquals(5, restarted.count());
            assertEquals(List.of("db-1", "db-2"), slugs(restarted.members("pool")));
            assertEquals(List.of("pool", "db-1"), restarted.get("storage").members());
            assertEquals(List.of("db-1", "db-2", "disk-1", "pool"), restarted.transitiveMembers("storage"));
            assertEquals(List.of("pool", "storage"), slugs(restarted.aggregates("db-1")));
        }
    }

    // --- cycles ---

    @Nested
    class Cycles {

        @Test
        void memberThatContainsTheAggregateIsRefusedNamingTheCycle() throws InterruptedException {
            create("a");
            create("b");
            create("c");
            manager.addMember("a", "b", ACTOR);
            manager.addMember("b", "c", ACTOR);
            int writes = store.audit.size();
            eventsSoFar();
            writes++;

            ConflictException conflict = assertThrows(ConflictException.class,
                    () -> manager.addMember("c", "a", ACTOR));

            assertEquals("this change would make a cycle: c → a → b → c", conflict.getMessage());
            assertEquals(List.of(), manager.get("c").members());
            assertEquals(List.of(), aggregates("a"));
            assertEquals(writes, store.audit.size());
            assertEquals(List.of(), eventsSoFar());
        }

        @Test
        void aCycleNamesOnlyTheSystemsTheCallerMayReadAndCountsTheOthers() {
            create("a");
            create("hidden-1", "a");
            create("c", "hidden-1");
            create("hidden-2", "c");
            create("hidden-3", "hidden-2");
            create("b", "hidden-3");
            // Bound on a, b and c without their members.
            TestCaller scoped = TestCaller.on("scoped", Set.of("a", "b", "c"), SYSTEMS_READ, SYSTEMS_WRITE);

            ConflictException conflict = assertThrows(ConflictException.class,
                    () -> manager.addMember("a", "b", scoped));

            assertEquals("this change would make a cycle: a → b → (2 systems you may not see) → c → "
                    + "(1 system you may not see) → a", conflict.getMessage());
            assertEquals("this change would make a cycle: a → b → hidden-3 → hidden-2 → c → hidden-1 → a",
                    assertThrows(ConflictException.class, () -> manager.addMember("a", "b", ACTOR)).getMessage());
        }

        @Test
        void aCycleMadeByRelabellingNamesOnlyTheSystemsTheCallerMayRead() {
            create("top");
            createDynamic("hidden-pool", "tier=top", "top");
            create("mid", "hidden-pool");
            TestCaller scoped = TestCaller.on("scoped", Set.of("top", "mid"), SYSTEMS_READ, SYSTEMS_WRITE);

            ConflictException conflict = assertThrows(ConflictException.class,
                    () -> manager.update("mid", manager.get("mid").toDraft().labels(Map.of("tier", "top")).build(),
                            scoped));

            assertEquals("this change would make a cycle: mid → (1 system you may not see) → mid",
                    conflict.getMessage());
        }

        @Test
        void directCycleIsRefused() {
            create("b");
            create("a", "b");

            assertEquals("this change would make a cycle: b → a → b",
                    assertThrows(ConflictException.class, () -> manager.addMember("b", "a", ACTOR)).getMessage());
        }

        @Test
        void updateWithMembersThatReachAnAncestorIsRefused() {
            create("c");
            create("b", "c");
            create("a", "b");
            create("x");

            ConflictException conflict = assertThrows(ConflictException.class,
                    () -> manager.update("c", manager.get("c").toDraft().members(List.of("x", "a")).build(), ACTOR));

            assertEquals("this change would make a cycle: c → a → b → c", conflict.getMessage());
            assertEquals(List.of(), members("c"));
        }

        @Test
        void dynamicAggregateMayNotSelectItsOwnAncestor() {
            create("agg");
            create("mid", "agg");
            create("top", Map.of("tier", "top"), "mid");

            ConflictException conflict = assertThrows(ConflictException.class, () -> manager.update("agg",
                    manager.get("agg").toDraft().selector(Selector.parse("tier=top")).build(), ACTOR));

            assertEquals("this change would make a cycle: agg → top → mid → agg", conflict.getMessage());
            assertEquals(Optional.empty(), manager.get("agg").selector());
            assertEquals(List.of(), members("agg"));
            assertEquals(List.of(), aggregates("top"));
        }

        @Test
        void newSystemThatSelectsTheAggregateThatWouldSelectItIsRefused() {
            manager.create(system("d")
                    .labels(Map.of("type", "group")).selector(Selector.parse("role=x")).build(), ACTOR);

            ConflictException conflict = assertThrows(ConflictException.class, () -> manager.create(system("n")
                    .labels(Map.of("role", "x")).selector(Selector.parse("type=group")).build(), ACTOR));

            assertEquals("this change would make a cycle: n → d → n", conflict.getMessage());
            assertEquals(Optional.empty(), manager.find("n"));
            assertEquals(List.of(), members("d"));
        }

        @Test
        void labelChangeThatWouldPutAnAncestorUnderItsDynamicDescendantIsRefused() throws InterruptedException {
            create("db-1", Map.of("role", "db"));
            createDynamic("dyn", "role=db");
            create("top", Map.of("tier", "top"), "dyn");
            int writes = store.audit.size();
            eventsSoFar();
            writes++;

            ConflictException conflict = assertThrows(ConflictException.class,
                    () -> relabel("top", Map.of("tier", "top", "role", "db")));

            assertEquals("this change would make a cycle: top → dyn → top", conflict.getMessage());
            assertEquals(Map.of("tier", "top"), manager.get("top").labels());
            assertEquals(List.of("dyn"), members("top"));
            assertEquals(List.of("db-1"), members("dyn"));
            assertEquals(List.of(), aggregates("top"));
            assertEquals(Map.of("tier", "top"), store.stored(manager.get("top").id()).draft().labels());
            assertEquals(writes, store.audit.size());
            assertEquals(List.of(), eventsSoFar());
        }

        @Test
        void labelChangeThatWouldPutADeeperAncestorUnderItsDynamicDescendantIsRefused() {
            createDynamic("dyn", "role=db");
            create("mid", "dyn");
            create("top", "mid");

            ConflictException conflict = assertThrows(ConflictException.class,
                    () -> relabel("top", Map.of("role", "db")));

            assertEquals("this change would make a cycle: top → mid → dyn → top", conflict.getMessage());
            assertEquals(Map.of(), manager.get("top").labels());
            assertEquals(List.of(), members("dyn"));
        }
    }

    // --- dynamic aggregates ---

    @Nested
    class DynamicAggregates {

        @Test
        void aggregateCreatedAfterMatchingSystemsSelectsThem() throws InterruptedException {
            create("db-1", Map.of("role", "db"));
            create("db-2", Map.of("role", "db", "dc", "fra1"));
            create("web-1", Map.of("role", "web"));
            eventsSoFar();

            ManagedSystem pool = createDynamic("pool", "role=db");

            assertEquals(List.of(), pool.members());
            assertEquals(Optional.of(Selector.parse("role=db")), pool.selector());
            assertEquals(List.of("db-1", "db-2"), members("pool"));
            assertEquals(List.of("pool"), aggregates("db-1"));
            assertEquals(List.of(), aggregates("web-1"));
            assertEquals(List.of(), store.stored(pool.id()).members());
            SystemEvent added = nextEvent();
            assertEquals(SystemEvent.Type.ADDED, added.type());
            assertEquals(List.of("db-1", "db-2"), added.added());
        }

        @Test
        void systemsJoinAndLeaveAsTheyAreCreatedAndRelabelled() throws InterruptedException {
            createDynamic("pool", "role=db");
            eventsSoFar();

            create("db-1", Map.of("role", "db"));
            assertEquals(List.of("db-1"), members("pool"));
            List<SystemEvent> joined = eventsSoFar();
            assertEquals(List.of(SystemEvent.Type.ADDED, SystemEvent.Type.MEMBERS_CHANGED),
                    joined.stream().map(SystemEvent::type).toList());
            SystemEvent poolJoined = joined.get(1);
            assertEquals("pool", poolJoined.subject().slug());
            assertEquals(List.of("db-1"), poolJoined.added());
            assertEquals(List.of(), poolJoined.removed());

            relabel("db-1", Map.of("role", "web"));
            assertEquals(List.of(), members("pool"));
            assertEquals(List.of(), aggregates("db-1"));
            SystemEvent poolLeft = only(eventsSoFar(), SystemEvent.Type.MEMBERS_CHANGED, "pool");
            assertEquals(List.of(), poolLeft.added());
            assertEquals(List.of("db-1"), poolLeft.removed());

            relabel("db-1", Map.of("role", "db", "dc", "fra1"));
            assertEquals(List.of("db-1"), members("pool"));
        }

        @Test
        void aggregateNeverSelectsItself() {
            create("db-1", Map.of("role", "db"));

            manager.create(system("pool")
                    .labels(Map.of("role", "db")).selector(Selector.parse("role=db")).build(), ACTOR);
            assertEquals(List.of("db-1"), members("pool"));

            manager.update("pool", manager.get("pool").toDraft().selector(Selector.parse("role")).build(), ACTOR);
            relabel("pool", Map.of("role", "db", "tier", "x"));

            assertEquals(List.of("db-1"), members("pool"));
            assertEquals(List.of(), aggregates("pool"));
        }

        @Test
        void changingTheSelectorChangesTheSelection() throws InterruptedException {
            create("db-1", Map.of("dc", "fra1"));
            create("db-2", Map.of("dc", "ams2"));
            createDynamic("fra1", "dc=fra1");
            eventsSoFar();

            manager.update("fra1", manager.get("fra1").toDraft().selector(Selector.parse("dc=ams2")).build(), ACTOR);

            assertEquals(List.of("db-2"), members("fra1"));
            SystemEvent updated = nextEvent();
            assertEquals(SystemEvent.Type.UPDATED, updated.type());
            assertEquals(List.of("db-2"), updated.added());
            assertEquals(List.of("db-1"), updated.removed());
        }

        @Test
        void explicitAndSelectedMemberStaysSelectedWhenTheExplicitOneIsRemoved() {
            create("db-1", Map.of("role", "db"));
            createDynamic("pool", "role=db", "db-1");
            assertEquals(List.of("db-1"), manager.get("pool").members());
            assertEquals(List.of("db-1"), members("pool"));

            ManagedSystem pool = manager.removeMember("pool", "db-1", ACTOR);

            assertEquals(List.of(), pool.members());
            assertEquals(List.of("db-1"), members("pool"));
            assertEquals(List.of("pool"), aggregates("db-1"));
        }

        @Test
        void explicitMemberStaysWhenItNoLongerMatches() {
            create("db-1", Map.of("role", "db"));
            createDynamic("pool", "role=db", "db-1");

            relabel("db-1", Map.of("role", "web"));

            assertEquals(List.of("db-1"), members("pool"));
            manager.removeMember("pool", "db-1", ACTOR);
            assertEquals(List.of(), members("pool"));
        }

        @Test
        void removingAMerelySelectedMemberIsNotFoundAndNamesTheSelector() {
            create("db-1", Map.of("role", "db", "dc", "fra1"));
            createDynamic("pool", "role=db,dc=fra1");

            NotFoundException notFound = assertThrows(NotFoundException.class,
                    () -> manager.removeMember("pool", "db-1", ACTOR));

            assertEquals("'db-1' is not an explicit member of 'pool'; it is selected by the selector dc=fra1,role=db",
                    notFound.getMessage());
            assertEquals(List.of("db-1"), members("pool"));
        }

        @Test
        void removingAMemberTheCallerMayNotReadIsAnsweredAsForOneThatDoesNotExist() {
            create("secret-db");
            create("selected-db", Map.of("role", "db"));
            create("web");
            createDynamic("shop", "role=db", "secret-db", "web");
            // Bound on shop and web without their members: secret-db and selected-db are hidden from it.
            TestCaller scoped = TestCaller.on("scoped", Set.of("shop", "web"), SYSTEMS_READ, SYSTEMS_WRITE);
            int writes = store.audit.size();

            for (String member : List.of("secret-db", "selected-db", "no-such-db")) {
                assertEquals("no system '" + member + "'", assertThrows(NotFoundException.class,
                        () -> manager.removeMember("shop", member, scoped)).getMessage());
            }

            assertEquals(List.of("secret-db", "web"), manager.get("shop").members());
            assertEquals(writes, store.audit.size());
            manager.removeMember("shop", "web", scoped);
            assertEquals("'web' is not an explicit member of 'shop'", assertThrows(NotFoundException.class,
                    () -> manager.removeMember("shop", "web", scoped)).getMessage());
        }

        @Test
        void selectedMembersCountForStatusAndTransitiveMembers() {
            create("disk-1");
            create("db-1", Map.of("role", "db"), "disk-1");
            createDynamic("pool", "role=db");
            create("dc", "pool");

            assertEquals(List.of("db-1", "disk-1", "pool"), manager.transitiveMembers("dc"));
            report("disk-1", Status.CRITICAL, "smart errors");
            assertEquals(List.of(List.of("dc", "pool", "db-1", "disk-1")), paths(status("dc")));
        }
    }

    // --- deleting ---

    @Nested
    class Deleting {

        @Test
        void aggregatesLoseTheDeletedMemberAndAreTold() throws InterruptedException {
            ManagedSystem db = create("db-1", Map.of("role", "db"));
            create("storage", "db-1");
            createDynamic("pool", "role=db");
            eventsSoFar();
            clock.advance(Duration.ofMinutes(1));

            ManagedSystem gone = manager.delete("db-1", ACTOR);

            assertEquals(db, gone);
            assertEquals(Optional.empty(), manager.find("db-1"));
            assertEquals(List.of(), members("storage"));
            assertEquals(List.of(), manager.get("storage").members());
            assertEquals(List.of(), members("pool"));
            assertEquals(null, store.stored(db.id()));
            assertEquals(List.of(), store.stored(manager.get("storage").id()).members());
            List<SystemEvent> seen = eventsSoFar();
            assertEquals(3, seen.size(), seen::toString);
            SystemEvent storage = only(seen, SystemEvent.Type.UPDATED, "storage");
            assertEquals(List.of("db-1"), storage.removed());
            assertEquals(List.of(), storage.added());
            assertEquals(List.of(), storage.subject().members());
            assertEquals(List.of("db-1"), storage.previous().orElseThrow().members());
            assertEquals(List.of("db-1"), only(seen, SystemEvent.Type.MEMBERS_CHANGED, "pool").removed());
            SystemEvent removed = only(seen, SystemEvent.Type.REMOVED, "db-1");
            assertEquals(db, removed.subject());
            assertEquals(SystemEvent.Type.REMOVED, seen.get(2).type());
        }

        @Test
        void deletedAggregateLeavesItsMembers() throws InterruptedException {
            create("db-1");
            create("storage", "db-1");
            eventsSoFar();

            manager.delete("storage", ACTOR);

            assertEquals(List.of(), aggregates("db-1"));
            assertEquals(Optional.empty(), manager.find("storage"));
            SystemEvent removed = nextEvent();
            assertEquals(SystemEvent.Type.REMOVED, removed.type());
            assertEquals(List.of("db-1"), removed.removed());
        }

        @Test
        void deletingACriticalMemberRestoresTheAggregate() {
            create("db-1");
            create("db-2");
            create("storage", "db-1", "db-2");
            report("db-1", Status.CRITICAL, "down");
            report("db-2", Status.OK, "");

            manager.delete("db-1", ACTOR);

            assertEquals(Status.OK, rolledUp("storage"));
            assertEquals(List.of(), status("storage").causes());
        }

        @Test
        void aggregateThatLostAnExplicitMemberKeepsItsUpdatedTimeAcrossARestart() {
            create("db-1");
            create("storage", "db-1");
            clock.advance(Duration.ofMinutes(1));

            manager.delete("db-1", ACTOR);

            ManagedSystem storage = manager.get("storage");
            assertEquals(T0.plus(Duration.ofMinutes(1)), storage.updated());
            assertEquals(storage, newManager().get("storage"));
        }

        @Test
        void slugOfADeletedSystemCanBeUsedAgain() {
            ManagedSystem first = create("db-1");
            manager.delete("db-1", ACTOR);

            ManagedSystem second = create("db-1");

            assertFalse(first.id().equals(second.id()));
            assertEquals(1, manager.count());
        }
    }

    // --- status ---

    @Nested
    class Statuses {

        @Test
        void criticalLeafMakesEveryAncestorCriticalWithThePathDown() {
            create("db-1");
            create("storage", "db-1");
            create("dc", "storage");
            clock.advance(Duration.ofSeconds(30));

            report("db-1", Status.CRITICAL, "disk /var 97% full");

            StatusReport report = new StatusReport("monitoring", Status.CRITICAL, "disk /var 97% full",
                    T0.plusSeconds(30));
            SystemStatus dc = status("dc");
            assertEquals(Status.NO_DATA, dc.own());
            assertEquals(Status.CRITICAL, dc.rolledUp());
            assertEquals(T0.plusSeconds(30), dc.since());
            assertEquals(List.of(new Cause(List.of("dc", "storage", "db-1"), Status.CRITICAL, List.of(report))),
                    dc.causes());
            assertEquals(1, dc.causeCount());
            assertEquals(List.of(List.of("storage", "db-1")), paths(status("storage")));
            SystemStatus db = status("db-1");
            assertEquals(Status.CRITICAL, db.own());
            assertEquals(List.of(report), db.reports());
            assertEquals(List.of(List.of("db-1")), paths(db));
        }

        @Test
        void everyLayerKeepsItsOwnView() {
            create("db-1");
            create("storage", "db-1");
            create("dc", "storage");
            report("dc", Status.OK, "all links up");
            report("storage", Status.WARNING, "replication lag");
            report("db-1", Status.CRITICAL, "down");

            assertEquals(Status.OK, status("dc").own());
            assertEquals(Status.CRITICAL, status("dc").rolledUp());
            assertEquals(Status.WARNING, status("storage").own());
            assertEquals(Status.CRITICAL, status("storage").rolledUp());
            assertEquals("replication lag", status("storage").reports().get(0).summary());

            report("db-1", Status.OK, "up again");

            assertEquals(Status.OK, status("db-1").rolledUp());
            assertEquals(Status.WARNING, status("storage").rolledUp());
            assertEquals(List.of(List.of("storage")), paths(status("storage")));
            assertEquals(Status.WARNING, status("dc").rolledUp());
            assertEquals(List.of(List.of("dc", "storage")), paths(status("dc")));
            assertEquals(Status.OK, status("dc").own());
        }

        @Test
        void worstOfTwoContributorsWins() {
            create("db-1");
            TestContributor monitoring = new TestContributor("monitoring");
            TestContributor backup = new TestContributor("backup");
            manager.addContributor(monitoring);
            manager.addContributor(backup);

            monitoring.sink.report("db-1", Status.WARNING, "load high");
            backup.sink.report("db-1", Status.CRITICAL, "backup failed");

            SystemStatus db = status("db-1");
            assertEquals(Status.CRITICAL, db.own());
            assertEquals(List.of("backup", "monitoring"),
                    db.reports().stream().map(StatusReport::contributor).toList());
            assertEquals(List.of(Status.CRITICAL, Status.WARNING),
                    db.reports().stream().map(StatusReport::status).toList());

            backup.sink.report("db-1", Status.OK, "backup done");
            assertEquals(Status.WARNING, status("db-1").own());
        }

        @Test
        void clearingEveryReportGoesBackToNoData() {
            create("db-1");
            create("storage", "db-1");
            TestContributor monitoring = new TestContributor("monitoring");
            TestContributor backup = new TestContributor("backup");
            manager.addContributor(monitoring);
            manager.addContributor(backup);
            monitoring.sink.report("db-1", Status.CRITICAL, "down");
            backup.sink.report("db-1", Status.WARNING, "old backup");

            monitoring.sink.clear("db-1");
            assertEquals(Status.WARNING, rolledUp("storage"));
            backup.sink.clear("db-1");
            backup.sink.clear("db-1");
            backup.sink.clear("db-9");

            SystemStatus db = status("db-1");
            assertEquals(Status.NO_DATA, db.own());
            assertEquals(Status.NO_DATA, db.rolledUp());
            assertEquals(List.of(), db.reports());
            assertEquals(Status.NO_DATA, rolledUp("storage"));
            assertEquals(List.of(), status("storage").causes());
            assertEquals(0, status("storage").causeCount());
        }

        @Test
        void memberOfTwoAggregatesMakesBothCritical() {
            create("db-1", Map.of("role", "db"));
            create("storage", "db-1");
            createDynamic("pool", "role=db");
            create("dc", "storage", "pool");

            report("db-1", Status.CRITICAL, "down");

            assertEquals(Status.CRITICAL, rolledUp("storage"));
            assertEquals(Status.CRITICAL, rolledUp("pool"));
            // one origin: one path, the first of the equally short ones by slug
            assertEquals(List.of(List.of("dc", "pool", "db-1")), paths(status("dc")));
            assertEquals(1, status("dc").causeCount());

            report("db-1", Status.OK, "up");
            assertEquals(Status.OK, rolledUp("storage"));
            assertEquals(Status.OK, rolledUp("pool"));
            assertEquals(Status.OK, rolledUp("dc"));
        }

        @Test
        void diamondGivesOneShortestPathPerOrigin() {
            create("d");
            create("b", "d");
            create("c", "d");
            create("a", "b", "c");

            report("d", Status.CRITICAL, "down");

            SystemStatus a = status("a");
            assertEquals(List.of(List.of("a", "b", "d")), paths(a));
            assertEquals(1, a.causeCount());

            create("e");
            manager.addMember("c", "e", ACTOR);
            report("e", Status.CRITICAL, "down too");
            a = status("a");
            assertEquals(List.of(List.of("a", "b", "d"), List.of("a", "c", "e")), paths(a));
            assertEquals(2, a.causeCount());
            SystemStatus limited = manager.status("a", 1);
            assertEquals(List.of(List.of("a", "b", "d")), paths(limited));
            assertEquals(2, limited.causeCount());
            assertEquals(1, manager.status("a", 0).causes().size());
        }

        @Test
        void causesAreShortestFirstAndOnlyForTheWorstStatus() {
            create("deep");
            create("mid", "deep");
            create("top", "mid");
            report("deep", Status.CRITICAL, "down");
            report("top", Status.CRITICAL, "also down");
            report("mid", Status.WARNING, "slow");

            SystemStatus top = status("top");

            assertEquals(List.of(List.of("top"), List.of("top", "mid", "deep")), paths(top));
            assertEquals(2, top.causeCount());
        }

        @Test
        void removingACriticalMemberRestoresTheAggregateToOk() {
            create("db-1");
            create("db-2");
            create("storage", "db-1", "db-2");
            report("db-1", Status.CRITICAL, "down");
            report("db-2", Status.OK, "");
            assertEquals(Status.CRITICAL, rolledUp("storage"));

            manager.removeMember("storage", "db-1", ACTOR);

            assertEquals(Status.OK, rolledUp("storage"));
            assertEquals(List.of(), status("storage").causes());
            assertEquals(Status.CRITICAL, rolledUp("db-1"));
        }

        @Test
        void relabelledCriticalMemberLeavingAPoolRestoresIt() {
            create("db-1", Map.of("role", "db"));
            createDynamic("pool", "role=db");
            report("pool", Status.OK, "");
            report("db-1", Status.CRITICAL, "down");
            assertEquals(Status.CRITICAL, rolledUp("pool"));

            relabel("db-1", Map.of("role", "retired"));

            assertEquals(Status.OK, rolledUp("pool"));
        }

        @Test
        void memberThatIsAlreadyCriticalMakesTheAggregateCriticalAtOnce() {
            create("db-1", Map.of("role", "db"));
            create("db-2");
            create("storage", "db-2");
            create("dc", "storage");
            createDynamic("pool", "role=web");
            report("db-2", Status.OK, "");
            report("db-1", Status.CRITICAL, "down");
            assertEquals(Status.OK, rolledUp("dc"));

            manager.addMember("storage", "db-1", ACTOR);

            assertEquals(Status.CRITICAL, rolledUp("storage"));
            assertEquals(Status.CRITICAL, rolledUp("dc"));
            assertEquals(List.of(List.of("dc", "storage", "db-1")), paths(status("dc")));

            relabel("db-1", Map.of("role", "web"));
            assertEquals(Status.CRITICAL, rolledUp("pool"));

            create("all", "db-1");
            assertEquals(Status.CRITICAL, rolledUp("all"));
        }

        @Test
        void removedContributorWithdrawsItsReports() {
            create("db-1");
            create("storage", "db-1");
            TestContributor monitoring = new TestContributor("monitoring");
            TestContributor backup = new TestContributor("backup");
            manager.addContributor(monitoring);
            manager.addContributor(backup);
            monitoring.sink.report("db-1", Status.CRITICAL, "down");
            backup.sink.report("storage", Status.OK, "");

            manager.removeContributor(monitoring);

            assertEquals(1, monitoring.stops);
            assertEquals(Status.NO_DATA, status("db-1").own());
            assertEquals(List.of(), status("db-1").reports());
            assertEquals(Status.OK, rolledUp("storage"));
            assertEquals("status contributor 'monitoring' has been stopped", assertThrows(IllegalStateException.class,
                    () -> monitoring.sink.report("db-1", Status.CRITICAL, "down")).getMessage());
            assertEquals(Status.NO_DATA, status("db-1").own());
        }

        @Test
        void aContributorThatStopsWithTheContainerLeavesItsReports() {
            create("db-1");
            TestContributor monitoring = new TestContributor("monitoring");
            manager.addContributor(monitoring);
            monitoring.sink.report("db-1", Status.CRITICAL, "down");

            containerStopping = true;
            manager.removeContributor(monitoring);

            assertEquals(1, monitoring.stops);
            assertEquals(Status.CRITICAL, status("db-1").own(), "not a recovery, on the timeline or at peers");
        }

        @Test
        void aContributorThatStartsAgainWithinTheGraceKeepsWhatItSaysAgainAndLosesTheRest() {
            create("db-1");
            create("web-1");
            holdingBack = true;
            TestContributor old = new TestContributor("monitoring");
            manager.addContributor(old);
            old.sink.report("db-1", Status.CRITICAL, "down");
            old.sink.report("web-1", Status.WARNING, "slow");
            manager.removeContributor(old);
            assertEquals(Status.CRITICAL, status("db-1").own(), "a restart is no recovery");

            TestContributor updated = new TestContributor("monitoring");
            manager.addContributor(updated);
            updated.sink.report("db-1", Status.CRITICAL, "still down");
            assertEquals(1, heldBack.size());
            heldBack.forEach(Runnable::run);

            assertEquals(Status.CRITICAL, status("db-1").own());
            assertEquals("still down", status("db-1").reports().get(0).summary());
            assertEquals(Status.NO_DATA, status("web-1").own(),
                    "what it did not say again is withdrawn after the grace");
        }

        /** Adds contributors that all have the name {@code monitoring}, one after the other. */
        private List<TestContributor> monitorings(int count) {
            List<TestContributor> added = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                added.add(new TestContributor("monitoring"));
                manager.addContributor(added.get(i));
            }
            return added;
        }

        @Test
        void secondContributorWithATakenNameWaitsAndStartsWhenTheFirstIsGone() {
            create("db-1");

            List<TestContributor> monitorings = monitorings(3);

            TestContributor first = monitorings.get(0);
            TestContributor second = monitorings.get(1);
            TestContributor third = monitorings.get(2);
            assertEquals(1, first.starts);
            assertEquals(0, second.starts);
            first.sink.report("db-1", Status.WARNING, "from the first");
            assertEquals(Status.WARNING, status("db-1").own());

            manager.removeContributor(first);

            assertEquals(1, first.stops);
            assertEquals(1, second.starts);
            assertEquals(0, third.starts);
            assertEquals(Status.NO_DATA, status("db-1").own());
            second.sink.report("db-1", Status.CRITICAL, "from the second");
            assertEquals(Status.CRITICAL, status("db-1").own());
        }

        @Test
        void stoppingTheKernelStartsNoContributorThatWaitedForItsName() {
            List<TestContributor> monitorings = monitorings(2);

            manager.deactivate();

            assertEquals(1, monitorings.get(0).stops);
            assertEquals(0, monitorings.get(1).starts);
        }

        @Test
        void aContributorThatGoesWhileWaitingForItsNameNeverStarts() {
            List<TestContributor> monitorings = monitorings(2);

            manager.removeContributor(monitorings.get(1));
            manager.removeContributor(monitorings.get(0));

            assertEquals(0, monitorings.get(1).starts);
            assertEquals(0, monitorings.get(1).stops);
            assertEquals(1, monitorings(1).get(0).starts);
        }

        @Test
        void sinkOfARemovedContributorStaysDeadWhenAnotherTakesItsName() {
            create("db-1");
            TestContributor old = new TestContributor("monitoring");
            manager.addContributor(old);
            manager.removeContributor(old);
            TestContributor replacement = new TestContributor("monitoring");
            manager.addContributor(replacement);
            replacement.sink.report("db-1", Status.WARNING, "from the replacement");

            assertThrows(IllegalStateException.class, () -> old.sink.report("db-1", Status.CRITICAL, "stale"));
            assertThrows(IllegalStateException.class, () -> old.sink.clear("db-1"));

            SystemStatus db = status("db-1");
            assertEquals(Status.WARNING, db.own());
            assertEquals("from the replacement", db.reports().get(0).summary());
        }

        @Test
        void reportWithoutAStatusIsRefusedAndKeepsThePreviousReport() {
            create("db-1");
            TestContributor monitoring = new TestContributor("monitoring");
            manager.addContributor(monitoring);
            monitoring.sink.report("db-1", Status.CRITICAL, "down");

            assertThrows(RuntimeException.class, () -> monitoring.sink.report("db-1", null, "no idea"));

            assertEquals(Status.CRITICAL, status("db-1").own());
        }

        @Test
        void contributorThatFailsToStartHasItsReportsWithdrawn() {
            create("db-1");
            StatusContributor broken = new StatusContributor() {
                @Override
                public String name() {
                    return "broken";
                }

                @Override
                public void start(StatusSink sink) {
                    sink.report("db-1", Status.CRITICAL, "half started");
                    throw new IllegalStateException("cannot connect");
                }
            };

            manager.addContributor(broken);

            assertEquals(Status.NO_DATA, status("db-1").own());
        }

        @Test
        void longSummariesAreCut() {
            create("db-1");
            TestContributor monitoring = new TestContributor("monitoring");
            manager.addContributor(monitoring);

            monitoring.sink.report("db-1", Status.WARNING, "  " + "x".repeat(600) + " ");

            assertEquals("x".repeat(500), status("db-1").reports().get(0).summary());
        }

        @Test
        void reportingTheSameStatusAgainKeepsItsSince() {
            create("db-1");
            report("db-1", Status.WARNING, "80%");
            clock.advance(Duration.ofMinutes(1));

            report("db-1", Status.WARNING, "85%");

            StatusReport report = status("db-1").reports().get(0);
            assertEquals("85%", report.summary());
            assertEquals(T0, report.since());
            assertEquals(T0, status("db-1").since());
        }

        @Test
        void reportAboutAnUnknownSystemIsNotFound() {
            assertThrows(NotFoundException.class, () -> report("db-9", Status.OK, ""));
        }

        @Test
        void statusListenersAreToldPreviousAndNewOwnAndRolledUpStatus() throws InterruptedException {
            UUID db = create("db-1").id();
            UUID storage = create("storage", "db-1").id();
            statusChangesSoFar();
            clock.advance(Duration.ofSeconds(10));
            Instant at = T0.plusSeconds(10);

            report("db-1", Status.CRITICAL, "down");

            assertEquals(new StatusChange(db, "db-1", Status.NO_DATA, Status.CRITICAL, Status.NO_DATA,
                    Status.CRITICAL, at), nextStatusChange());
            assertEquals(new StatusChange(storage, "storage", Status.NO_DATA, Status.NO_DATA, Status.NO_DATA,
                    Status.CRITICAL, at), nextStatusChange());

            report("storage", Status.WARNING, "lag");

            assertEquals(new StatusChange(storage, "storage", Status.NO_DATA, Status.WARNING, Status.CRITICAL,
                    Status.CRITICAL, at), nextStatusChange());

            report("db-1", Status.OK, "up");

            assertEquals(new StatusChange(db, "db-1", Status.CRITICAL, Status.OK, Status.CRITICAL, Status.OK, at),
                    nextStatusChange());
            assertEquals(new StatusChange(storage, "storage", Status.WARNING, Status.WARNING, Status.CRITICAL,
                    Status.WARNING, at), nextStatusChange());
            assertEquals(List.of(), statusChangesSoFar());
        }

        @Test
        void unchangedStatusIsNotAnnounced() throws InterruptedException {
            create("db-1");
            report("db-1", Status.OK, "fine");
            statusChangesSoFar();

            report("db-1", Status.OK, "still fine");

            assertEquals(List.of(), statusChangesSoFar());
        }
    }

    // --- audit ---

    @Test
    void everyChangeIsAuditedWithItsActorAndBeforeAndAfter() {
        create("db-1");
        create("storage");
        manager.addMember("storage", "db-1", ACTOR);
        manager.update("db-1", manager.get("db-1").toDraft().slug("db-one").build(), ACTOR);
        manager.removeMember("storage", "db-one", ACTOR);
        manager.delete("db-one", ACTOR);

        assertEquals(List.of("system.create system/db-1", "system.create system/storage",
                "system.member-add system/storage", "system.update system/db-one",
                "system.member-remove system/storage", "system.delete system/db-one"),
                store.audit.stream().map(entry -> entry.action() + " " + entry.target()).toList());
        assertTrue(store.audit.stream().allMatch(entry -> entry.actor().equals(ACTOR.source())));
        AuditEntry memberAdded = store.audit.get(2);
        assertTrue(memberAdded.before().contains("\"members\":[]"), memberAdded.before());
        assertTrue(memberAdded.after().contains("\"members\":[\"db-1\"]"), memberAdded.after());
        AuditEntry renamed = store.audit.get(3);
        assertTrue(renamed.before().contains("\"slug\":\"db-1\""), renamed.before());
        assertTrue(renamed.after().contains("\"slug\":\"db-one\""), renamed.after());
        AuditEntry deleted = store.audit.get(5);
        assertTrue(deleted.before().contains("\"slug\":\"db-one\""), deleted.before());
        assertNull(deleted.after());
    }

    @Test
    void changesNeedWriteAccessAndWideningChangesNeedMore() {
        create("web");
        create("db");
        create("other");
        TestCaller scoped = TestCaller.on("scoped", Set.of("web", "db"), SYSTEMS_READ, SYSTEMS_WRITE);
        int before = store.audit.size();

        manager.update("web", manager.get("web").toDraft().name("Web").build(), scoped);
        manager.addMember("web", "db", scoped);
        assertForbidden("missing permission systems:write on system 'other'",
                () -> manager.addMember("web", "other", scoped));
        assertForbidden("missing permission systems:write on system 'ghost'",
                () -> manager.addMember("web", "ghost", scoped));
        assertForbidden("missing permission systems:write on system 'other'",
                () -> manager.update("web", manager.get("web").toDraft().members(List.of("db", "other")).build(),
                        scoped));
        assertForbidden("missing permission systems:write on the whole instance",
                () -> manager.update("web", manager.get("web").toDraft().selector(Selector.parse("kind=host"))
                        .build(), scoped));
        assertForbidden("missing permission systems:write on the whole instance",
                () -> manager.create(system("new").build(), scoped));
        assertForbidden("missing permission systems:write on system 'other'", () -> manager.delete("other", scoped));
        manager.removeMember("web", "db", scoped);

        assertEquals(before + 3, store.audit.size());
        assertEquals(List.of(), manager.get("web").members());
        assertTrue(manager.find("new").isEmpty());
        assertTrue(manager.find("other").isPresent());
    }

    private static void assertForbidden(String message, Executable change) {
        assertEquals(message, assertThrows(ForbiddenException.class, change).getMessage());
    }

    // --- failed store writes ---

    @Nested
    class FailedStoreWrites {

        private final RuntimeException databaseDown = new IllegalStateException("database is down");

        @Test
        void failedInsertLeavesNothingBehind() throws InterruptedException {
            create("db-1", Map.of("role", "db"));
            createDynamic("pool", "role=db");
            eventsSoFar();
            int count = manager.count();
            store.failNextWrite(databaseDown);

            RuntimeException thrown = assertThrows(RuntimeException.class,
                    () -> create("db-2", Map.of("role", "db")));

            assertSame(databaseDown, thrown);
            assertEquals(Optional.empty(), manager.find("db-2"));
            assertEquals(count, manager.count());
            assertEquals(List.of("db-1"), members("pool"));
            assertEquals(List.of(), eventsSoFar());
            create("db-2", Map.of("role", "db"));
            assertEquals(List.of("db-1", "db-2"), members("pool"));
        }

        @Test
        void failedUpdateLeavesTheOldState() throws InterruptedException {
            create("db-1", Map.of("role", "db"));
            create("storage", "db-1");
            createDynamic("pool", "role=db");
            report("db-1", Status.CRITICAL, "down");
            ManagedSystem before = manager.get("db-1");
            eventsSoFar();
            statusChanges.clear();
            store.failNextWrite(databaseDown);

            assertSame(databaseDown, assertThrows(RuntimeException.class, () -> manager.update("db-1",
                    before.toDraft().slug("db-one").labels(Map.of("role", "web")).build(), ACTOR)));

            assertEquals(before, manager.get("db-1"));
            assertEquals(Optional.empty(), manager.find("db-one"));
            assertEquals(List.of("db-1"), members("pool"));
            assertEquals(List.of("pool", "storage"), aggregates("db-1"));
            assertEquals(Status.CRITICAL, rolledUp("pool"));
            assertEquals("db-1", store.stored(before.id()).draft().slug());
            assertEquals(List.of(), eventsSoFar());
            assertEquals(List.of(), List.copyOf(statusChanges));
        }

        @Test
        void failedMemberChangesLeaveTheOldState() throws InterruptedException {
            create("db-1");
            create("db-2");
            create("storage", "db-1");
            report("db-2", Status.CRITICAL, "down");
            eventsSoFar();

            store.failNextWrite(databaseDown);
            assertThrows(RuntimeException.class, () -> manager.addMember("storage", "db-2", ACTOR));
            store.failNextWrite(databaseDown);
            assertThrows(RuntimeException.class, () -> manager.removeMember("storage", "db-1", ACTOR));

            assertEquals(List.of("db-1"), manager.get("storage").members());
            assertEquals(List.of("db-1"), members("storage"));
            assertEquals(Status.NO_DATA, rolledUp("storage"));
            assertEquals(List.of(), eventsSoFar());
        }

        @Test
        void failedDeleteLeavesTheSystemAndItsMemberships() throws InterruptedException {
            ManagedSystem db = create("db-1", Map.of("role", "db"));
            create("storage", "db-1");
            createDynamic("pool", "role=db");
            eventsSoFar();
            store.failNextWrite(databaseDown);

            assertSame(databaseDown, assertThrows(RuntimeException.class, () -> manager.delete("db-1", ACTOR)));

            assertEquals(db, manager.get("db-1"));
            assertEquals(List.of("pool", "storage"), aggregates("db-1"));
            assertEquals(List.of("db-1"), manager.get("storage").members());
            assertEquals(db.id(), store.stored(db.id()).id());
            assertEquals(List.of(), eventsSoFar());
        }
    }

    // --- remote systems ---

    private static final TestCaller FRA = new TestCaller(new Source(Source.Kind.PEER, "fra"), true, false, Map.of());

    @Test
    void aPeersRemoteSystemsKeepTheirIdsAreReadOnlyHereAndCanBeMembersOfLocalAggregates()
            throws InterruptedException {
        UUID db = UUID.randomUUID();
        UUID storage = UUID.randomUUID();
        manager.putRemote(db, system("fra/db").build(), FRA);
        ManagedSystem remote = manager.putRemote(storage,
                system("fra/storage").members(List.of("fra/db")).build(), FRA);
        assertEquals(storage, remote.id());
        assertEquals(List.of("fra/db"), manager.members("fra/storage").stream().map(ManagedSystem::slug).toList());

        create("shop", "fra/storage");
        assertEquals(List.of("fra/db", "fra/storage"), manager.transitiveMembers("shop"));

        // Everyone else may only read them and aggregate them.
        assertThrows(ForbiddenException.class, () -> relabel("fra/db", Map.of("a", "b")));
        assertThrows(ForbiddenException.class, () -> manager.delete("fra/db", ACTOR));
        assertThrows(ForbiddenException.class, () -> manager.addMember("fra/storage", "shop", ACTOR));
        assertEquals("slug fra/mine has the form of a peer's system (peer/slug), which only federation makes; a"
                + " system of this instance has a slug without '/'",
                assertThrows(InvalidRequestException.class, () -> create("fra/mine")).getMessage());
        assertThrows(InvalidRequestException.class, () -> create("zzz/mine"), "whether or not there is such a peer");
        assertThrows(ForbiddenException.class, () -> manager.putRemote(UUID.randomUUID(), system("fra/x").build(),
                ACTOR));
        TestCaller other = new TestCaller(new Source(Source.Kind.PEER, "ber"), true, false, Map.of());
        assertThrows(ForbiddenException.class, () -> manager.putRemote(db, system("fra/db").build(), other));

        // A peer cannot reach beyond its own systems, nor take an id that is not its system's.
        assertThrows(InvalidRequestException.class, () -> manager.putRemote(UUID.randomUUID(),
                system("fra/agg").members(List.of("shop")).build(), FRA));
        UUID shop = manager.get("shop").id();
        assertThrows(ConflictException.class, () -> manager.putRemote(shop, system("fra/shop").build(), FRA));
        assertEquals(shop, manager.get("shop").id());

        // Putting the same again changes nothing; a change updates in place.
        eventsSoFar();
        manager.putRemote(db, system("fra/db").build(), FRA);
        assertEquals(List.of(), eventsSoFar());
        manager.putRemote(db, system("fra/db").name("Database").build(), FRA);
        assertEquals("Database", manager.get("fra/db").name());

        manager.delete("fra/storage", FRA);
        assertEquals(List.of(), manager.get("shop").members());
    }

    @Test
    void aPeerIsToldTheCycleThroughItsOwnRemoteSystemsInFull() {
        manager.putRemote(UUID.randomUUID(), system("fra/db").build(), FRA);
        UUID storage = UUID.randomUUID();
        manager.putRemote(storage, system("fra/storage").members(List.of("fra/db")).build(), FRA);

        assertEquals("this change would make a cycle: fra/db → fra/storage → fra/db",
                assertThrows(ConflictException.class, () -> manager.putRemote(manager.get("fra/db").id(),
                        system("fra/db").members(List.of("fra/storage")).build(), FRA)).getMessage());
    }
}
