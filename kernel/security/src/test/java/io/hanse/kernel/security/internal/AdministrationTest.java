package io.hanse.kernel.security.internal;

import static io.hanse.api.security.KernelPermissions.AUDIT_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.kernel.security.internal.SecurityFixture.ADDRESS;
import static io.hanse.kernel.security.internal.SecurityFixture.PASSWORD;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT_CALLER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooManyRequestsException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.security.internal.SecurityManager.Binding;
import io.hanse.kernel.security.internal.SecurityManager.IssuedToken;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Managing users, groups, roles and bindings: what is refused, and what each change leaves in the audit log. */
class AdministrationTest {

    private static final Source CAROL = new Source(Source.Kind.USER, "carol");
    private static final Caller CAROL_CALLER = new TestCaller(CAROL, true, true, Map.of());

    private final SecurityFixture fixture = new SecurityFixture();
    private final SecurityManager manager = fixture.manager;
    private final List<AuditEntry> audit = fixture.store.audit;

    @Test
    void weakPasswordsAreRefusedWithAReasonThatDoesNotRepeatThem() {
        Map<String, String> reasons = Map.of(
                "", "empty",
                "Sh0rt-pass", "too short",
                "abababababababab", "5 different characters",
                "alice-Horse-77-Battery", "user name",
                "My-Password-2026!", "commonly used",
                "Ab1-".repeat(257), "too long");

        reasons.forEach((password, reason) -> {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> manager.addUser("alice", "", false, password.toCharArray(), ROOT));
            assertTrue(refused.getMessage().contains(reason), refused.getMessage());
            assertFalse(!password.isEmpty() && refused.getMessage().contains(password), refused.getMessage());
        });
        assertEquals(List.of(), manager.users());
        assertEquals(List.of(), audit);
    }

    @Test
    void aNewPasswordMustBeStrongAndTheCurrentOneRight() {
        fixture.user("alice");

        InvalidRequestException weak = assertThrows(InvalidRequestException.class,
                () -> manager.setPassword("alice", PASSWORD.toCharArray(), "Tiny-9".toCharArray(), ROOT_CALLER));
        InvalidRequestException wrongCurrent = assertThrows(InvalidRequestException.class,
                () -> manager.setPassword("alice", "Not-The-Current-1".toCharArray(),
                        "Another-Strong-9-Phrase".toCharArray(), ROOT_CALLER));

        assertTrue(weak.getMessage().contains("too short"), weak.getMessage());
        assertFalse(weak.getMessage().contains("Tiny-9"), weak.getMessage());
        assertTrue(wrongCurrent.getMessage().contains("current password"), wrongCurrent.getMessage());
        assertTrue(fixture.login("alice").authenticated(), "the password is unchanged");

        manager.setPassword("alice", PASSWORD.toCharArray(), "Another-Strong-9-Phrase".toCharArray(), ROOT_CALLER);

        assertThrows(UnauthenticatedException.class, () -> fixture.login("alice"));
        assertTrue(manager.login("alice", "Another-Strong-9-Phrase".toCharArray(), ADDRESS).authenticated());
    }

    @Test
    void guessingTheCurrentPasswordThroughChangingItIsThrottledAsALoginIs() {
        fixture.user("alice");
        // Five free failures, as for logins, and one beyond them.
        for (int i = 0; i < 6; i++) {
            assertThrows(InvalidRequestException.class, () -> manager.setPassword("alice",
                    "Not-The-Current-1".toCharArray(), "Another-Strong-9-Phrase".toCharArray(), ROOT_CALLER));
        }
        assertThrows(TooManyRequestsException.class, () -> manager.setPassword("alice", PASSWORD.toCharArray(),
                "Another-Strong-9-Phrase".toCharArray(), ROOT_CALLER), "the right one too, while alice is locked out");
        assertThrows(TooManyRequestsException.class, () -> fixture.login("alice"));
    }

    @Test
    void sshKeysAreOneKeyEachInOpenSshsFormat() {
        fixture.user("alice");
        int entries = audit.size();
        assertEquals("an SSH public key is one line such as 'ssh-ed25519 AAAA… comment'",
                assertThrows(InvalidRequestException.class, () -> manager.addKey("alice", " ", ROOT_CALLER))
                        .getMessage());
        assertTrue(assertThrows(InvalidRequestException.class,
                () -> manager.addKey("alice", "ssh-rsa notbase64!", ROOT_CALLER)).getMessage().startsWith("not a"));
        assertEquals(entries, audit.size());

        manager.addKey("alice", TestKeys.line(TestKeys.ed25519()), ROOT_CALLER);
        manager.addKey("alice", TestKeys.line(TestKeys.ecdsa()), ROOT_CALLER);
        assertEquals(List.of("ssh-ed25519", "ecdsa-sha2-nistp256"), manager.keys("alice").stream()
                .map(key -> key.publicKey().split(" ")[0]).sorted(Comparator.reverseOrder()).toList());
    }

    @Test
    void namesMustBeWellFormed() {
        assertThrows(InvalidRequestException.class, () -> manager.addUser("Alice", "", false, null, ROOT));
        assertThrows(InvalidRequestException.class, () -> manager.addUser("1st", "", false, null, ROOT));
        assertThrows(InvalidRequestException.class, () -> manager.addUser(null, "", false, null, ROOT));
        assertThrows(InvalidRequestException.class, () -> manager.addGroup("night shift", "", ROOT));
        assertThrows(InvalidRequestException.class,
                () -> manager.saveRole("Auditor", "", Set.of(AUDIT_READ), true, ROOT_CALLER));
        assertThrows(InvalidRequestException.class,
                () -> manager.saveRole("auditor", "", Set.of("Not A Permission"), true, ROOT_CALLER));
        assertEquals(List.of(), audit);
    }

    @Test
    void duplicatesConflict() {
        fixture.systems.add("web");
        fixture.user("alice");
        manager.addGroup("ops", "", ROOT);
        manager.saveRole("auditor", "", Set.of(AUDIT_READ), true, ROOT_CALLER);
        fixture.bind("viewer", "alice", "web", true);
        String key = TestKeys.line(TestKeys.ecdsa());
        manager.addKey("alice", key, ROOT_CALLER);
        int entries = audit.size();

        assertThrows(ConflictException.class, () -> manager.addUser("alice", "", false, null, ROOT));
        assertThrows(ConflictException.class, () -> manager.addGroup("ops", "", ROOT));
        assertThrows(ConflictException.class,
                () -> manager.saveRole("auditor", "", Set.of(SYSTEMS_READ), true, ROOT_CALLER));
        assertThrows(ConflictException.class, () -> fixture.bind("viewer", "alice", "web", true));
        assertThrows(ConflictException.class, () -> manager.addKey("alice", key, ROOT_CALLER));
        assertEquals(entries, audit.size());
        assertEquals(List.of(AUDIT_READ), manager.role("auditor").permissions());
    }

    @Test
    void whatDoesNotExistIsNotFound() {
        fixture.user("alice");
        manager.addGroup("ops", "", ROOT);
        UUID nothing = UUID.randomUUID();

        List<Executable> calls = List.of(
                () -> manager.user("nobody"),
                () -> manager.updateUser("nobody", "Nobody", null, ROOT_CALLER),
                () -> manager.setPassword("nobody", null, "Another-Strong-9-Phrase".toCharArray(), ROOT_CALLER),
                () -> manager.removeUser("nobody", ROOT_CALLER),
                () -> manager.group("nobody"),
                () -> manager.removeGroup("nobody", ROOT_CALLER),
                () -> manager.changeMember("ops", "nobody", true, ROOT_CALLER),
                () -> manager.changeMember("nobody", "alice", true, ROOT_CALLER),
                () -> manager.role("nobody"),
                () -> manager.saveRole("nobody", "", Set.of(AUDIT_READ), false, ROOT_CALLER),
                () -> manager.saveRole("auditor", "", Set.of("nosuch:permission"), true, ROOT_CALLER),
                () -> manager.removeRole("nobody", ROOT_CALLER),
                () -> manager.bind("nobody", "alice", null, null, true, ROOT_CALLER),
                () -> manager.bind("viewer", "nobody", null, null, true, ROOT_CALLER),
                () -> manager.bind("viewer", null, "nobody", null, true, ROOT_CALLER),
                () -> manager.bind("viewer", "alice", null, "no-such-system", true, ROOT_CALLER),
                () -> manager.unbind(nothing, ROOT_CALLER),
                () -> manager.token(nothing),
                () -> manager.revokeToken(nothing, ROOT_CALLER),
                () -> manager.tokens("nobody"),
                () -> manager.keys("nobody"),
                () -> manager.addKey("nobody", TestKeys.line(TestKeys.ecdsa()), ROOT_CALLER),
                () -> manager.removeKey("alice", "SHA256:nothing", ROOT_CALLER));

        for (Executable call : calls) {
            assertThrows(NotFoundException.class, call);
        }
        assertEquals(2, audit.size(), "only the user and the group were written");
    }

    @Test
    void builtInRolesCannotBeChangedOrRemoved() {
        for (boolean create : new boolean[] {true, false}) {
            ConflictException refused = assertThrows(ConflictException.class,
                    () -> manager.saveRole("viewer", "", Set.of(AUDIT_READ), create, ROOT_CALLER));
            assertTrue(refused.getMessage().contains("built-in"), refused.getMessage());
        }
        assertThrows(ConflictException.class, () -> manager.removeRole("admin", ROOT_CALLER));

        assertFalse(manager.role("viewer").permissions().contains(AUDIT_READ));
        assertTrue(manager.role("admin").builtIn());
        assertEquals(List.of(), audit);
    }

    @Test
    void noOneTakesAwayTheLastBindingOfAdminOnTheWholeInstanceToAUserThatIsNotDisabled() {
        manager.firstStart(PASSWORD);
        Caller admin = fixture.login("admin");
        UUID own = manager.bindings().get(0).id();
        fixture.systems.add("web");
        fixture.user("alice");
        fixture.user("bob");
        fixture.bind("admin", "bob", "web", true);
        fixture.bind("admin", "bob", null, true);
        manager.updateUser("bob", null, true, admin);
        int entries = audit.size();

        for (Caller caller : List.of(admin, ROOT_CALLER)) {
            assertLastAdmin("removing binding " + own, () -> manager.unbind(own, caller));
            assertLastAdmin("removing user admin", () -> manager.removeUser("admin", caller));
            assertLastAdmin("disabling user admin", () -> manager.updateUser("admin", null, true, caller));
        }
        manager.addGroup("admins", "", ROOT);
        manager.bind("admin", null, "admins", null, true, admin);
        manager.changeMember("admins", "alice", true, admin);
        manager.unbind(own, admin);
        assertLastAdmin("removing user alice from group admins",
                () -> manager.changeMember("admins", "alice", false, ROOT_CALLER));
        assertLastAdmin("removing group admins", () -> manager.removeGroup("admins", ROOT_CALLER));
        assertLastAdmin("disabling user alice", () -> manager.updateUser("alice", null, true, ROOT_CALLER));
        assertLastAdmin("removing user alice", () -> manager.removeUser("alice", ROOT_CALLER));
        assertEquals(entries + 4, audit.size(), "only the changes that went through");

        manager.updateUser("bob", null, false, ROOT_CALLER);
        manager.removeGroup("admins", ROOT_CALLER);
        manager.removeUser("admin", ROOT_CALLER);
        assertEquals(List.of("bob"), manager.bindings().stream().filter(b -> b.system() == null)
                .map(Binding::user).toList());
    }

    private void assertLastAdmin(String change, Executable taking) {
        ConflictException refused = assertThrows(ConflictException.class, taking);
        assertEquals(change + " would take away the last binding of role admin on the whole instance to a user"
                + " that is not disabled, leaving only the local console to administer Hanse; bind admin to another"
                + " user first", refused.getMessage());
    }

    @Test
    void aRoleNeedsAPermissionAndABindingNamesAUserOrAGroup() {
        fixture.user("alice");
        manager.addGroup("ops", "", ROOT);

        assertThrows(InvalidRequestException.class, () -> manager.saveRole("empty", "", Set.of(), true, ROOT_CALLER));
        assertThrows(InvalidRequestException.class,
                () -> manager.bind("viewer", null, null, null, true, ROOT_CALLER));
        assertThrows(InvalidRequestException.class,
                () -> manager.bind("viewer", "alice", "ops", null, true, ROOT_CALLER));
    }

    @Test
    void everyChangeWritesOneAuditEntryWithoutSecrets() {
        fixture.systems.add("web");
        String key = TestKeys.line(TestKeys.ecdsa());
        String newPassword = "Another-Strong-9-Phrase";

        assertChange("user.create", "user/alice",
                () -> manager.addUser("alice", "Alice", false, PASSWORD.toCharArray(), CAROL), false, true);
        assertTrue(audit.get(0).after().contains("\"name\":\"alice\""), audit.get(0).after());
        assertChange("user.update", "user/alice", () -> manager.updateUser("alice", "Alice A.", null, CAROL_CALLER),
                true, true);
        assertChange("user.password", "user/alice",
                () -> manager.setPassword("alice", null, newPassword.toCharArray(), CAROL_CALLER), false, false);
        assertChange("group.create", "group/ops", () -> manager.addGroup("ops", "Operations", CAROL), false, true);
        assertChange("group.member-add", "group/ops", () -> manager.changeMember("ops", "alice", true, CAROL_CALLER),
                true, true);
        assertChange("role.create", "role/auditor",
                () -> manager.saveRole("auditor", "", Set.of(AUDIT_READ), true, CAROL_CALLER), false, true);
        assertChange("role.update", "role/auditor",
                () -> manager.saveRole("auditor", "", Set.of(AUDIT_READ, SYSTEMS_READ), false, CAROL_CALLER), true,
                true);
        List<Binding> bound = new ArrayList<>();
        AuditEntry bindingCreated = assertChange("binding.create", null,
                () -> bound.add(manager.bind("auditor", "alice", null, "web", true, CAROL_CALLER)), false, true);
        Binding binding = bound.get(0);
        assertEquals("binding/" + binding.id(), bindingCreated.target());
        assertTrue(bindingCreated.after().contains("\"system\":\"web\""), bindingCreated.after());
        List<IssuedToken> issued = new ArrayList<>();
        AuditEntry tokenCreated = assertChange("token.create", null,
                () -> issued.add(manager.createToken(CAROL_CALLER, "alice", "ci", null, null, null)), false, true);
        UUID token = issued.get(0).token().id();
        assertEquals("user/alice/tokens/" + token, tokenCreated.target());
        assertChange("token.revoke", "user/alice/tokens/" + token, () -> manager.revokeToken(token, CAROL_CALLER),
                true, true);
        String fingerprint = SshKeys.fingerprint(SshKeys.parse(key));
        assertChange("key.add", "user/alice/keys/" + fingerprint, () -> manager.addKey("alice", key, CAROL_CALLER),
                false, true);
        assertChange("key.remove", "user/alice/keys/" + fingerprint,
                () -> manager.removeKey("alice", fingerprint, CAROL_CALLER), true, false);
        assertChange("binding.delete", "binding/" + binding.id(), () -> manager.unbind(binding.id(), CAROL_CALLER),
                true, false);
        assertChange("group.member-remove", "group/ops",
                () -> manager.changeMember("ops", "alice", false, CAROL_CALLER), true, true);
        assertChange("role.delete", "role/auditor", () -> manager.removeRole("auditor", CAROL_CALLER), true, false);
        assertChange("group.delete", "group/ops", () -> manager.removeGroup("ops", CAROL_CALLER), true, false);
        assertChange("user.delete", "user/alice", () -> manager.removeUser("alice", CAROL_CALLER), true, false);

        assertEquals(17, audit.size());
        String secret = issued.get(0).secret();
        for (AuditEntry entry : audit) {
            assertEquals(CAROL, entry.actor());
            for (String summary : new String[] {entry.before(), entry.after()}) {
                if (summary != null) {
                    for (String forbidden : List.of("argon2", "passwordHash", "secretHash", PASSWORD, newPassword,
                            secret, Tokens.hash(secret))) {
                        assertFalse(summary.contains(forbidden), entry.action() + " shows " + forbidden);
                    }
                }
            }
        }
    }

    /** Runs a change and checks that it wrote exactly one audit entry, of this action on this target. */
    private AuditEntry assertChange(String action, String target, Runnable change, boolean before, boolean after) {
        int entries = audit.size();
        change.run();
        assertEquals(entries + 1, audit.size(), action);
        AuditEntry entry = audit.get(entries);
        assertEquals(action, entry.action());
        if (target != null) {
            assertEquals(target, entry.target());
        }
        assertEquals(before, entry.before() != null, action + " before");
        assertEquals(after, entry.after() != null, action + " after");
        return entry;
    }

    /** Adds the users alice and bob, and the group ops with one of them; returns the audit log's size then. */
    private int aliceBobAndOpsWith(String member) {
        fixture.user("alice");
        fixture.user("bob");
        manager.addGroup("ops", "", ROOT);
        manager.changeMember("ops", member, true, ROOT_CALLER);
        return audit.size();
    }

    @Test
    void changesThatChangeNothingWriteNothing() {
        int entries = aliceBobAndOpsWith("alice");

        manager.changeMember("ops", "alice", true, ROOT_CALLER);
        manager.changeMember("ops", "bob", false, ROOT_CALLER);

        assertEquals(entries, audit.size());
    }

    @Test
    void severalMembersChangeInOneEntryAndOnesAlreadyThereOrGoneChangeNothing() {
        fixture.user("carol");
        int entries = aliceBobAndOpsWith("alice");

        assertEquals(List.of("alice", "bob", "carol"),
                manager.changeMembers("ops", List.of("bob", "alice", "carol", "bob"), true, ROOT_CALLER).members());
        assertEquals(List.of("carol"),
                manager.changeMembers("ops", List.of("alice", "bob"), false, ROOT_CALLER).members());

        assertEquals(entries + 2, audit.size(), "one entry for each change of several members");
        assertTrue(audit.get(entries).before().contains("\"members\":[\"alice\"]"), audit.get(entries).before());
        assertTrue(audit.get(entries).after().contains("\"members\":[\"alice\",\"bob\",\"carol\"]"),
                audit.get(entries).after());
    }

    @Test
    void membersChangeAllOrNoneNamingEveryUserThatDoesNotExist() {
        int entries = aliceBobAndOpsWith("bob");

        NotFoundException adding = assertThrows(NotFoundException.class,
                () -> manager.changeMembers("ops", List.of("alice", "nobody", "ghost"), true, ROOT_CALLER));
        NotFoundException removing = assertThrows(NotFoundException.class,
                () -> manager.changeMembers("ops", List.of("bob", "ghost"), false, ROOT_CALLER));

        assertEquals("no users 'nobody', 'ghost'", adding.getMessage());
        assertEquals("no user 'ghost'", removing.getMessage());
        assertEquals(List.of("bob"), manager.group("ops").members(), "alice not added, bob not removed");
        assertEquals(entries, audit.size());
    }

    @Test
    void removingSeveralMembersThatTogetherAreTheLastAdminsRemovesNone() {
        manager.firstStart(PASSWORD);
        Caller admin = fixture.login("admin");
        fixture.user("alice");
        fixture.user("bob");
        manager.addGroup("admins", "", ROOT);
        manager.bind("admin", null, "admins", null, true, admin);
        manager.changeMembers("admins", List.of("alice", "bob"), true, admin);
        manager.unbind(manager.bindings().stream().filter(b -> "admin".equals(b.user())).findFirst().orElseThrow()
                .id(), admin);
        int entries = audit.size();

        assertLastAdmin("removing users alice, bob from group admins",
                () -> manager.changeMembers("admins", List.of("alice", "bob"), false, ROOT_CALLER));

        assertEquals(List.of("alice", "bob"), manager.group("admins").members(), "each alone could go, not both");
        assertEquals(entries, audit.size());
        manager.changeMembers("admins", List.of("alice"), false, ROOT_CALLER);
        assertEquals(List.of("bob"), manager.group("admins").members());
    }

    @Test
    void aTokenMadeWithATokenIsNoBroaderThanIt() {
        fixture.systems.add("shop");
        fixture.systems.add("other");
        fixture.user("alice");
        fixture.bind("admin", "alice", null, true);
        fixture.bind("viewer", "alice", null, true);
        IssuedToken narrow = manager.createToken(ROOT_CALLER, "alice", "ci", Set.of("viewer"), Set.of("other"),
                Duration.ofDays(1));
        Caller ci = manager.authenticate(SecurityFixture.bearer(narrow.secret()), ADDRESS);

        IssuedToken made = manager.createToken(ci, "alice", "made", null, null, null);
        assertEquals(List.of("viewer"), made.token().roles());
        assertEquals(List.of("other"), made.token().systems());
        assertEquals(narrow.token().expires(), made.token().expires(), "the default lifetime is a day's at most");
        Caller fromMade = manager.authenticate(SecurityFixture.bearer(made.secret()), ADDRESS);
        assertFalse(fromMade.mayEverywhere(KernelPermissions.SECURITY_WRITE));
        assertFalse(fromMade.may(SYSTEMS_READ, "shop"));

        assertTrue(assertThrows(ForbiddenException.class, () -> manager.createToken(ci, "alice", "admin",
                Set.of("admin"), null, null)).getMessage().contains("roles it carries: [viewer]"));
        assertEquals("no system 'shop'", assertThrows(NotFoundException.class, () -> manager.createToken(ci, "alice",
                "shop", null, Set.of("shop"), null)).getMessage(), "a system outside the token is as unknown");
        assertTrue(assertThrows(ForbiddenException.class, () -> manager.createToken(ci, "alice", "long", null, null,
                Duration.ofDays(2))).getMessage().contains("expires no later than it"));
        IssuedToken wide = manager.createToken(fixture.login("alice"), "alice", "wide", null, null, null);
        assertNull(wide.token().roles(), "a caller that signed in with its password is not narrowed");
    }

    @Test
    void aFailedStoreWriteChangesNothing() {
        fixture.systems.add("web");
        fixture.user("alice");
        IssuedToken issued = manager.createToken(ROOT_CALLER, "alice", "ci", null, null, null);
        int entries = audit.size();

        failing(() -> manager.addUser("bob", "", false, null, ROOT));
        failing(() -> manager.updateUser("alice", null, true, ROOT_CALLER));
        failing(() -> manager.setPassword("alice", null, "Another-Strong-9-Phrase".toCharArray(), ROOT_CALLER));
        failing(() -> manager.addGroup("ops", "", ROOT));
        failing(() -> manager.saveRole("auditor", "", Set.of(AUDIT_READ), true, ROOT_CALLER));
        failing(() -> fixture.bind("viewer", "alice", "web", true));
        failing(() -> manager.createToken(ROOT_CALLER, "alice", "other", null, null, null));
        failing(() -> manager.revokeToken(issued.token().id(), ROOT_CALLER));
        failing(() -> manager.removeUser("alice", ROOT_CALLER));

        assertEquals(entries, audit.size());
        assertThrows(NotFoundException.class, () -> manager.user("bob"));
        assertThrows(NotFoundException.class, () -> manager.group("ops"));
        assertThrows(NotFoundException.class, () -> manager.role("auditor"));
        assertEquals(List.of(), manager.bindings());
        assertEquals(List.of("ci"), manager.tokens("alice").stream().map(SecurityManager.Token::name).toList());
        assertNull(manager.token(issued.token().id()).revoked());
        assertFalse(manager.user("alice").disabled());
        assertTrue(fixture.login("alice").authenticated(), "alice keeps her password and is not disabled");
        assertTrue(manager.authenticate(SecurityFixture.bearer(issued.secret()), ADDRESS).authenticated());

        assertNotNull(manager.addUser("bob", "", false, null, ROOT), "the next write goes through");
    }

    private void failing(Executable change) {
        IllegalStateException gone = new IllegalStateException("the database went away");
        fixture.store.failNextWrite(gone);
        assertEquals(gone, assertThrows(IllegalStateException.class, change));
    }

    @Test
    void removingAUserTakesItsMembershipsBindingsTokensAndKeysAlong() {
        fixture.user("alice");
        fixture.user("bob");
        manager.addGroup("ops", "", ROOT);
        manager.changeMember("ops", "alice", true, ROOT_CALLER);
        manager.changeMember("ops", "bob", true, ROOT_CALLER);
        fixture.bind("viewer", "alice", null, true);
        manager.createToken(ROOT_CALLER, "alice", "ci", null, null, null);
        manager.addKey("alice", TestKeys.line(TestKeys.ecdsa()), ROOT_CALLER);

        manager.removeUser("alice", ROOT_CALLER);

        assertEquals(List.of("bob"), manager.group("ops").members());
        assertEquals(List.of(), manager.bindings());
        assertEquals(List.of(), manager.tokens(null));
        assertTrue(fixture.store.keys.isEmpty());
        SecurityManager restarted = fixture.restart();
        assertEquals(List.of("bob"), restarted.users().stream().map(SecurityManager.User::name).toList());
        assertEquals(List.of("bob"), restarted.group("ops").members());
    }
}
