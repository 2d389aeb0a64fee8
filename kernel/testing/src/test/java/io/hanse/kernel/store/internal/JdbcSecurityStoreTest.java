package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.system.SystemDraft;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.AuditVerification;
import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.SecurityStore.Contents;
import io.hanse.kernel.store.SecurityStore.Redemption;
import io.hanse.kernel.store.StoredBinding;
import io.hanse.kernel.store.StoredEnrollment;
import io.hanse.kernel.store.StoredGroup;
import io.hanse.kernel.store.StoredKey;
import io.hanse.kernel.store.StoredPrincipal;
import io.hanse.kernel.store.StoredRole;
import io.hanse.kernel.store.StoredSystem;
import io.hanse.kernel.store.StoredToken;
import io.hanse.testing.KernelDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each test has a database of its own, so that it can compare everything that is stored. */
class JdbcSecurityStoreTest extends OnBothDatabases {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456Z");

    private static AuditEntry entry(String action) {
        return new AuditEntry(new Source(Source.Kind.USER, "admin"), action, "test", null, null);
    }

    private static StoredPrincipal principal(String name, int second) {
        return new StoredPrincipal(UUID.randomUUID(), name, false, name.toUpperCase(), null, false, false,
                T0.plusSeconds(second));
    }

    private static StoredBinding binding(String role, StoredPrincipal principal, StoredGroup group,
            StoredSystem system, int second) {
        return new StoredBinding(UUID.randomUUID(), role, principal == null ? null : principal.id(),
                group == null ? null : group.id(), system == null ? null : system.id(), false, T0.plusSeconds(second));
    }

    private static StoredToken token(String name, StoredPrincipal principal, int second) {
        return new StoredToken(UUID.randomUUID(), name, principal.id(), hash(name + principal.name()), null, null,
                null, T0.plusSeconds(second), null);
    }

    private static StoredKey key(StoredPrincipal principal, int second) {
        return new StoredKey(principal.id(), "SHA256:" + principal.name(), "ssh-ed25519 AAAA " + principal.name(),
                T0.plusSeconds(second));
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static StoredSystem system(JdbcSystemStore systems, String slug) {
        StoredSystem system = new StoredSystem(UUID.randomUUID(), SystemDraft.builder(slug).build(), List.of(), T0, T0);
        systems.insert(system, entry("system.create"));
        return system;
    }

    /** Returns the actions in the audit log, oldest first. */
    private static List<String> actions(JdbcAuditLog log) {
        List<String> actions = new ArrayList<>();
        log.query(new AuditQuery(null, null, null, null, 0, 1000)).forEach(record -> actions.add(0,
                record.entry().action()));
        return actions;
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void keepsWhatIsSavedReplacesItAndAuditsEachChange(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcSecurityStore store = new JdbcSecurityStore(null, database.dataSource());
            JdbcSystemStore systems = new JdbcSystemStore(null, database.dataSource());
            StoredSystem web = system(systems, "web");
            StoredPrincipal alice = new StoredPrincipal(UUID.randomUUID(), "alice", false, "Alice Liddell",
                    "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", true, false, T0);
            StoredPrincipal agent = new StoredPrincipal(UUID.randomUUID(), "agent-1", true, "", null, false, false,
                    T0.plusSeconds(1));
            StoredGroup ops = new StoredGroup(UUID.randomUUID(), "ops", "Operations", Set.of(alice.id(), agent.id()));
            StoredRole operator = new StoredRole("operator", "Runs things", Set.of("systems:read", "systems:write"));
            StoredBinding global = binding("operator", alice, null, null, 1);
            StoredBinding onWeb = new StoredBinding(UUID.randomUUID(), "viewer", null, ops.id(), web.id(), true,
                    T0.plusSeconds(2));
            StoredToken limited = new StoredToken(UUID.randomUUID(), "ci", alice.id(), hash("ci"), Set.of("operator"),
                    Set.of(web.id(), UUID.randomUUID()), T0.plusSeconds(86_400), T0.plusSeconds(1), null);
            StoredToken unlimited = token("deploy", agent, 2);
            StoredKey aliceKey = key(alice, 1);

            store.savePrincipal(alice, entry("user.create"));
            store.savePrincipal(agent, entry("user.create"));
            store.saveGroup(ops, entry("group.create"));
            store.saveRole(operator, entry("role.create"));
            store.insertBinding(global, entry("binding.create"));
            store.insertBinding(onWeb, entry("binding.create"));
            store.insertToken(limited, entry("token.create"));
            store.insertToken(unlimited, entry("token.create"));
            store.insertKey(aliceKey, entry("key.create"));

            assertEquals(new Contents(List.of(agent, alice), List.of(ops), List.of(operator),
                    List.of(global, onWeb), List.of(limited, unlimited), List.of(aliceKey)), store.loadAll());

            StoredPrincipal renamed = new StoredPrincipal(alice.id(), "alice2", false, "Alice", null, false, true,
                    T0);
            StoredGroup shrunk = new StoredGroup(ops.id(), "operations", "", Set.of(agent.id()));
            StoredRole narrowed = new StoredRole("operator", "", Set.of("systems:read"));
            store.savePrincipal(renamed, entry("user.update"));
            store.saveGroup(shrunk, entry("group.update"));
            store.saveRole(narrowed, entry("role.update"));
            store.revokeToken(limited.id(), T0.plusSeconds(60), entry("token.revoke"));
            store.deleteBinding(global.id(), entry("binding.delete"));
            store.deleteKey(alice.id(), aliceKey.fingerprint(), entry("key.delete"));

            StoredToken revoked = new StoredToken(limited.id(), limited.name(), limited.principal(),
                    limited.secretHash(), limited.roles(), limited.systems(), limited.expires(), limited.created(),
                    T0.plusSeconds(60));
            assertEquals(new Contents(List.of(agent, renamed), List.of(shrunk), List.of(narrowed),
                    List.of(onWeb), List.of(revoked, unlimited), List.of()), store.loadAll());

            JdbcAuditLog log = new JdbcAuditLog(null, database.dataSource());
            assertEquals(List.of("system.create", "user.create", "user.create", "group.create", "role.create",
                    "binding.create", "binding.create", "token.create", "token.create", "key.create", "user.update",
                    "group.update", "role.update", "token.revoke", "binding.delete", "key.delete"), actions(log));
            assertEquals(new AuditVerification(true, 16, 0, null), log.verify());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void deletingAPrincipalTakesItsMembershipsBindingsTokensAndKeys(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcSecurityStore store = new JdbcSecurityStore(null, database.dataSource());
            StoredPrincipal alice = principal("alice", 0);
            StoredPrincipal bob = principal("bob", 1);
            StoredGroup ops = new StoredGroup(UUID.randomUUID(), "ops", "", Set.of(alice.id(), bob.id()));
            StoredBinding aliceBinding = binding("viewer", alice, null, null, 0);
            StoredBinding bobBinding = binding("viewer", bob, null, null, 1);
            StoredToken aliceToken = token("t", alice, 0);
            StoredToken bobToken = token("t", bob, 1);
            StoredKey aliceKey = key(alice, 0);
            StoredKey bobKey = key(bob, 1);
            store.savePrincipal(alice, entry("user.create"));
            store.savePrincipal(bob, entry("user.create"));
            store.saveGroup(ops, entry("group.create"));
            for (StoredBinding binding : List.of(aliceBinding, bobBinding)) {
                store.insertBinding(binding, entry("binding.create"));
            }
            for (StoredToken token : List.of(aliceToken, bobToken)) {
                store.insertToken(token, entry("token.create"));
            }
            for (StoredKey key : List.of(aliceKey, bobKey)) {
                store.insertKey(key, entry("key.create"));
            }

            store.deletePrincipal(alice.id(), entry("user.delete"));

            assertEquals(new Contents(List.of(bob), List.of(new StoredGroup(ops.id(), "ops", "", Set.of(bob.id()))),
                    List.of(), List.of(bobBinding), List.of(bobToken), List.of(bobKey)), store.loadAll());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void deletingAGroupASystemOrARoleTakesTheBindingsOnIt(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcSecurityStore store = new JdbcSecurityStore(null, database.dataSource());
            JdbcSystemStore systems = new JdbcSystemStore(null, database.dataSource());
            StoredSystem web = system(systems, "web");
            StoredSystem db = system(systems, "db");
            StoredPrincipal alice = principal("alice", 0);
            StoredGroup ops = new StoredGroup(UUID.randomUUID(), "ops", "", Set.of(alice.id()));
            StoredRole operator = new StoredRole("operator", "", Set.of("systems:write"));
            StoredBinding groupOnDb = binding("viewer", null, ops, db, 0);
            StoredBinding onWeb = binding("viewer", alice, null, web, 1);
            StoredBinding onDb = binding("viewer", alice, null, db, 2);
            StoredBinding operatorOnDb = binding("operator", alice, null, db, 3);
            store.savePrincipal(alice, entry("user.create"));
            store.saveGroup(ops, entry("group.create"));
            store.saveRole(operator, entry("role.create"));
            for (StoredBinding binding : List.of(groupOnDb, onWeb, onDb, operatorOnDb)) {
                store.insertBinding(binding, entry("binding.create"));
            }

            store.deleteGroup(ops.id(), entry("group.delete"));
            assertEquals(List.of(onWeb, onDb, operatorOnDb), store.loadAll().bindings());
            assertEquals(List.of(alice), store.loadAll().principals(), "members stay when their group goes");

            systems.delete(web.id(), T0, entry("system.delete"));
            assertEquals(List.of(onDb, operatorOnDb), store.loadAll().bindings());

            store.deleteRole("operator", entry("role.delete"));
            assertEquals(new Contents(List.of(alice), List.of(), List.of(), List.of(onDb), List.of(), List.of()),
                    store.loadAll());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aPrincipalIsInsertedWithItsBindingsOrNotAtAll(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcSecurityStore store = new JdbcSecurityStore(null, database.dataSource());
            StoredPrincipal admin = principal("admin", 0);
            StoredBinding everywhere = binding("admin", admin, null, null, 0);
            StoredPrincipal ghost = principal("ghost", 1);
            StoredBinding onNoSystem = new StoredBinding(UUID.randomUUID(), "viewer", ghost.id(), null,
                    UUID.randomUUID(), true, T0);

            store.insertPrincipal(admin, List.of(everywhere), entry("user.create"));
            assertThrows(IllegalStateException.class,
                    () -> store.insertPrincipal(ghost, List.of(onNoSystem), entry("refused")),
                    "the binding's system does not exist");

            assertEquals(new Contents(List.of(admin), List.of(), List.of(), List.of(everywhere), List.of(), List.of()),
                    store.loadAll());
            JdbcAuditLog log = new JdbcAuditLog(null, database.dataSource());
            assertEquals(List.of("user.create"), actions(log));
            assertEquals(new AuditVerification(true, 1, 0, null), log.verify());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aChangeTheDatabaseRefusesLeavesNoAuditEntry(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcSecurityStore store = new JdbcSecurityStore(null, database.dataSource());
            StoredPrincipal alice = principal("alice", 0);
            StoredGroup ops = new StoredGroup(UUID.randomUUID(), "ops", "", Set.of());
            store.savePrincipal(alice, entry("user.create"));
            store.saveGroup(ops, entry("group.create"));

            assertThrows(IllegalStateException.class,
                    () -> store.savePrincipal(principal("alice", 1), entry("refused")), "names are unique");
            assertThrows(IllegalStateException.class,
                    () -> store.insertBinding(binding("viewer", principal("ghost", 0), null, null, 0),
                            entry("refused")),
                    "the principal must exist");
            assertThrows(IllegalStateException.class,
                    () -> store.insertBinding(binding("viewer", alice, ops, null, 0), entry("refused")),
                    "a binding is to a principal or a group, not both");
            assertThrows(IllegalStateException.class,
                    () -> store.insertBinding(binding("viewer", null, null, null, 0), entry("refused")),
                    "a binding is to someone");
            assertThrows(IllegalStateException.class,
                    () -> store.insertKey(new StoredKey(ops.id(), "SHA256:x", "ssh-ed25519 AAAA", T0),
                            entry("refused")),
                    "a key belongs to a principal");
            store.insertKey(key(alice, 0), entry("key.create"));
            StoredPrincipal bob = principal("bob", 1);
            store.savePrincipal(bob, entry("user.create"));
            assertThrows(IllegalStateException.class,
                    () -> store.insertKey(new StoredKey(bob.id(), "SHA256:alice", "ssh-ed25519 AAAA", T0),
                            entry("refused")), "a key belongs to one principal");

            assertEquals(new Contents(List.of(alice, bob), List.of(ops), List.of(), List.of(), List.of(),
                    List.of(key(alice, 0))), store.loadAll());
            JdbcAuditLog log = new JdbcAuditLog(null, database.dataSource());
            assertEquals(List.of("user.create", "group.create", "key.create", "user.create"), actions(log));
            assertEquals(new AuditVerification(true, 4, 0, null), log.verify());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void anEnrollmentTokenIsRedeemedOnceEvenByConcurrentRedeemers(Database.Kind kind) throws Exception {
        try (KernelDatabase database = fresh(kind)) {
            JdbcSecurityStore store = new JdbcSecurityStore(null, database.dataSource());
            StoredSystem web = system(new JdbcSystemStore(null, database.dataSource()), "web");
            StoredEnrollment enrollment = new StoredEnrollment(UUID.randomUUID(), hash("token"), "web-1",
                    Set.of(web.id()), "admin", T0, T0.plusSeconds(3600), null);
            store.insertEnrollment(enrollment, entry("agent.enrollment-create"));
            int redeemers = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(redeemers);
            List<Future<Optional<Redemption>>> outcomes = new ArrayList<>();
            for (int i = 0; i < redeemers; i++) {
                int n = i;
                outcomes.add(threads.submit(() -> {
                    start.await();
                    StoredPrincipal agent = new StoredPrincipal(UUID.randomUUID(), "web-1", true, "agent", null,
                            false, false, T0);
                    return store.redeemEnrollment(hash("token"), T0.plusSeconds(60), e -> new Redemption(agent,
                            List.of(new StoredBinding(UUID.randomUUID(), "agent", agent.id(), null, web.id(), false,
                                    T0)), new StoredKey(agent.id(), "SHA256:key" + n, "ssh-ed25519 AAAA", T0),
                            entry("agent.enroll")));
                }));
            }
            start.countDown();
            int redeemed = 0;
            for (Future<Optional<Redemption>> outcome : outcomes) {
                try {
                    redeemed += outcome.get(60, TimeUnit.SECONDS).isPresent() ? 1 : 0;
                } catch (ExecutionException lostTheRace) {
                    // a database may also refuse the loser's update outright: also not redeemed
                }
            }
            threads.shutdown();

            assertEquals(1, redeemed, "exactly one redeemer wins");
            Contents stored = store.loadAll();
            assertEquals(1, stored.principals().size());
            assertEquals(1, stored.keys().size());
            assertEquals(T0.plusSeconds(60), store.enrollments().get(0).used());
            assertEquals(Optional.empty(), store.redeemEnrollment(hash("token"), T0.plusSeconds(61),
                    e -> { throw new AssertionError("a used token is not redeemed again"); }));
            StoredEnrollment expired = new StoredEnrollment(UUID.randomUUID(), hash("late"), "web-2",
                    Set.of(web.id()), "admin", T0, T0.plusSeconds(60), null);
            store.insertEnrollment(expired, entry("agent.enrollment-create"));
            assertEquals(Optional.empty(), store.redeemEnrollment(hash("late"), T0.plusSeconds(60),
                    e -> { throw new AssertionError("an expired token is not redeemed"); }));
        }
    }
}
