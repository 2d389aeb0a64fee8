package io.hanse.kernel.security.internal;

import static io.hanse.api.security.KernelPermissions.AUDIT_READ;
import static io.hanse.api.security.KernelPermissions.SECURITY_READ;
import static io.hanse.api.security.KernelPermissions.SECURITY_WRITE;
import static io.hanse.api.security.KernelPermissions.SELF_MANAGE;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;
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

import io.hanse.api.ForbiddenException;
import io.hanse.api.NotFoundException;
import io.hanse.api.security.Caller;
import io.hanse.kernel.security.internal.SecurityManager.IssuedToken;
import io.hanse.kernel.store.AuditEntry;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A caller grants only what it holds, where it holds it: else whoever may change bindings, groups,
 * roles, passwords, keys or tokens could make itself admin. It takes away only what it holds too:
 * else it could lock out those who hold more.
 */
class EscalationTest {

    private static final String NEW_PASSWORD = "Another-Strong-9-Phrase";
    /** A role that administers security and nothing else. */
    private static final String SECURITY_MANAGER = "security-manager";

    private final SecurityFixture fixture = new SecurityFixture();
    private final SecurityManager manager = fixture.manager;
    private Caller um;

    @BeforeEach
    void users() {
        // shop ⊃ {web ⊃ cache, db}
        fixture.systems.add("cache");
        fixture.systems.add("db");
        fixture.systems.add("web", "cache");
        fixture.systems.add("shop", "web", "db");
        manager.saveRole(SECURITY_MANAGER, "", Set.of(SECURITY_WRITE, SECURITY_READ, SELF_MANAGE), true, ROOT_CALLER);
        for (String user : List.of("um", "bob", "boss")) {
            fixture.user(user);
        }
        fixture.bind(SECURITY_MANAGER, "um", null, true);
        fixture.bind("admin", "boss", null, true);
        um = fixture.login("um");
    }

    /** Asserts that a change is refused naming the permission and where, audited under the action. */
    private void assertRefused(String message, String action, Executable change) {
        int stored = fixture.store.audit.size();
        ForbiddenException refused = assertThrows(ForbiddenException.class, change);
        assertTrue(refused.getMessage().startsWith(message), refused.getMessage());
        assertEquals(stored + 1, fixture.store.audit.size(), "only the refusal is audited");
        AuditEntry entry = fixture.store.audit.get(stored);
        assertEquals(action + "-refused", entry.action());
        assertEquals("um", entry.actor().name());
    }

    @Test
    void aCallerBindsOnlyARoleWhosePermissionsItHolds() {
        assertRefused("missing permission agents:desire on the whole instance: role admin grants it",
                "binding.create", () -> manager.bind("admin", "um", null, null, true, um));
        assertRefused("missing permission agents:read on the whole instance: role viewer grants it", "binding.create",
                () -> manager.bind("viewer", "bob", null, null, true, um));

        manager.bind(SECURITY_MANAGER, "bob", null, null, true, um);

        assertEquals(List.of(SECURITY_MANAGER), manager.bindings().stream().filter(b -> "um".equals(b.user()))
                .map(SecurityManager.Binding::role).toList(), "um did not make itself admin");
        assertTrue(fixture.login("bob").mayEverywhere(SECURITY_WRITE));
    }

    @Test
    void onASystemTheCallerHoldsTheRoleThereAndOnWhatItAggregatesUnlessLeftOut() {
        fixture.bind("operator", "um", "web", false);
        Caller webAlone = fixture.login("um");

        assertRefused("missing permission agents:desire on system 'cache'", "binding.create",
                () -> manager.bind("operator", "bob", null, "web", true, webAlone));
        assertRefused("missing permission agents:desire on system 'shop'", "binding.create",
                () -> manager.bind("operator", "bob", null, "shop", false, webAlone));
        manager.bind("operator", "bob", null, "web", false, webAlone);

        fixture.bind("operator", "um", "web", true);
        manager.bind("operator", "bob", null, "web", true, fixture.login("um"));
        assertTrue(fixture.login("bob").may(SYSTEMS_WRITE, "cache"));
    }

    @Test
    void addingAMemberToAGroupNeedsWhatTheGroupsBindingsGrantWhereTheyGrantIt() {
        manager.addGroup("admins", "", ROOT);
        manager.bind("admin", null, "admins", null, true, ROOT_CALLER);
        manager.addGroup("web-ops", "", ROOT);
        manager.bind("operator", null, "web-ops", "web", true, ROOT_CALLER);
        manager.addGroup("security", "", ROOT);
        manager.bind(SECURITY_MANAGER, null, "security", null, true, ROOT_CALLER);

        assertRefused("missing permission agents:desire on the whole instance: group admins grants it",
                "group.member-add", () -> manager.changeMember("admins", "um", true, um));
        assertRefused("missing permission agents:desire on system 'web': group web-ops grants it",
                "group.member-add", () -> manager.changeMember("web-ops", "bob", true, um));
        manager.changeMember("security", "bob", true, um);

        assertEquals(List.of("security"), manager.user("bob").groups());
        assertEquals(List.of(), manager.group("admins").members());
    }

    @Test
    void disablingEnablingOrRemovingAUserNeedsEverythingItHoldsOnTheWholeInstance() {
        fixture.user("chief");
        fixture.bind("admin", "chief", null, true);
        fixture.bind("operator", "bob", "web", true);
        manager.updateUser("chief", null, true, ROOT_CALLER);

        assertRefused("missing permission agents:desire on the whole instance: user boss holds it, and a caller"
                + " takes away only what it holds", "user.update", () -> manager.updateUser("boss", null, true, um));
        assertRefused("missing permission agents:desire on the whole instance: user chief holds it",
                "user.update", () -> manager.updateUser("chief", null, false, um));
        assertRefused("missing permission agents:desire on the whole instance: user boss holds it", "user.delete",
                () -> manager.removeUser("boss", um));
        assertRefused("missing permission agents:desire on the whole instance: user bob holds it", "user.delete",
                () -> manager.removeUser("bob", um));
        assertTrue(fixture.login("boss").mayEverywhere(SECURITY_WRITE), "boss is neither disabled nor removed");
        assertTrue(manager.user("chief").disabled());

        manager.updateUser("boss", "The Boss", null, um);
        fixture.user("temp");
        manager.bind(SECURITY_MANAGER, "temp", null, null, true, um);
        manager.updateUser("temp", null, true, um);
        manager.updateUser("temp", null, false, um);
        manager.removeUser("temp", um);
        manager.updateUser("um", null, true, fixture.login("um"));

        assertEquals("The Boss", manager.user("boss").displayName(), "a display name takes nothing away");
        assertTrue(manager.user("um").disabled(), "a user may disable itself");
    }

    @Test
    void removingABindingNeedsWhatCreatingItNeeds() {
        SecurityManager.Binding bossAdmin = manager.bindings().stream().filter(b -> "boss".equals(b.user()))
                .findFirst().orElseThrow();
        SecurityManager.Binding bobOnWeb = fixture.bind("operator", "bob", "web", true);
        SecurityManager.Binding bobSecurity = fixture.bind(SECURITY_MANAGER, "bob", null, true);
        fixture.bind("operator", "um", "web", false);
        Caller webAlone = fixture.login("um");

        assertRefused("missing permission agents:desire on the whole instance: role admin grants it, and a caller"
                + " takes away only what it holds", "binding.delete", () -> manager.unbind(bossAdmin.id(), um));
        assertRefused("missing permission agents:desire on system 'cache': role operator grants it",
                "binding.delete", () -> manager.unbind(bobOnWeb.id(), webAlone));
        manager.unbind(bobSecurity.id(), um);

        assertEquals(List.of("admin"), manager.bindings().stream().filter(b -> "boss".equals(b.user()))
                .map(SecurityManager.Binding::role).toList());
        assertTrue(fixture.login("bob").may(SYSTEMS_WRITE, "cache"));
        assertFalse(fixture.login("bob").mayEverywhere(SECURITY_WRITE));
    }

    @Test
    void removingAMemberFromAGroupOrTheGroupNeedsWhatTheGroupsBindingsGrantWhereTheyGrantIt() {
        manager.addGroup("admins", "", ROOT);
        manager.bind("admin", null, "admins", null, true, ROOT_CALLER);
        manager.changeMember("admins", "boss", true, ROOT_CALLER);
        manager.addGroup("web-ops", "", ROOT);
        manager.bind("operator", null, "web-ops", "web", true, ROOT_CALLER);
        manager.changeMember("web-ops", "bob", true, ROOT_CALLER);
        manager.addGroup("security", "", ROOT);
        manager.bind(SECURITY_MANAGER, null, "security", null, true, ROOT_CALLER);
        manager.changeMember("security", "bob", true, ROOT_CALLER);

        assertRefused("missing permission agents:desire on the whole instance: group admins grants it, and a"
                + " caller takes away only what it holds", "group.member-remove",
                () -> manager.changeMember("admins", "boss", false, um));
        assertRefused("missing permission agents:desire on system 'web': group web-ops grants it",
                "group.member-remove", () -> manager.changeMember("web-ops", "bob", false, um));
        manager.changeMember("web-ops", "um", true, ROOT_CALLER);
        assertRefused("missing permission agents:desire on system 'web': group web-ops grants it",
                "group.member-remove", () -> manager.changeMembers("web-ops", List.of("um", "bob"), false, um));
        assertEquals(List.of("bob", "um"), manager.group("web-ops").members(), "not even itself, refused for bob");
        manager.changeMember("web-ops", "um", false, ROOT_CALLER);
        assertRefused("missing permission agents:desire on the whole instance: group admins grants it",
                "group.delete", () -> manager.removeGroup("admins", um));
        assertRefused("missing permission agents:desire on system 'web': group web-ops grants it", "group.delete",
                () -> manager.removeGroup("web-ops", um));
        manager.changeMember("security", "bob", false, um);
        manager.removeGroup("security", um);

        assertEquals(List.of("admins", "web-ops"), manager.groups().stream().map(SecurityManager.Group::name)
                .toList());
        assertEquals(List.of("boss"), manager.group("admins").members());
        assertEquals(List.of("web-ops"), manager.user("bob").groups());
    }

    @Test
    void aRoleLosesOnlyPermissionsTheCallerHoldsOnTheWholeInstance() {
        manager.saveRole("auditor", "", Set.of(AUDIT_READ, SECURITY_READ), true, ROOT_CALLER);
        manager.saveRole("reader", "", Set.of(SECURITY_READ), true, ROOT_CALLER);
        fixture.bind("auditor", "bob", null, true);

        assertRefused("missing permission audit:read on the whole instance: role auditor holds it, and a caller"
                + " takes away only what it holds", "role.update",
                () -> manager.saveRole("auditor", null, Set.of(SECURITY_READ), false, um));
        assertRefused("missing permission audit:read on the whole instance: role auditor holds it", "role.delete",
                () -> manager.removeRole("auditor", um));
        manager.saveRole("auditor", null, Set.of(AUDIT_READ), false, um);
        manager.removeRole("reader", um);

        assertEquals(List.of(AUDIT_READ), manager.role("auditor").permissions());
        assertTrue(fixture.login("bob").mayEverywhere(AUDIT_READ), "bob keeps what um does not hold");
        assertEquals(List.of("auditor"), manager.roles().stream().filter(role -> !role.builtIn())
                .map(SecurityManager.Role::name).filter(name -> !name.equals(SECURITY_MANAGER)).toList());
    }

    @Test
    void aRoleGainsOnlyPermissionsTheCallerHoldsOnTheWholeInstance() {
        manager.saveRole("auditor", "Reads the audit log", Set.of(AUDIT_READ), true, ROOT_CALLER);

        assertRefused("missing permission systems:read on the whole instance: role mine would hold it",
                "role.create", () -> manager.saveRole("mine", "", Set.of(SYSTEMS_READ), true, um));
        assertRefused("missing permission systems:write on the whole instance", "role.update",
                () -> manager.saveRole(SECURITY_MANAGER, null, Set.of(SECURITY_WRITE, SYSTEMS_WRITE), false, um));
        manager.saveRole("auditor", null, Set.of(AUDIT_READ, SECURITY_READ), false, um);

        assertEquals(List.of(AUDIT_READ, SECURITY_READ), manager.role("auditor").permissions(),
                "what the role held already may stay");
        assertFalse(fixture.login("um").mayEverywhere(SYSTEMS_WRITE));
    }

    @Test
    void actingAsAnotherUserNeedsEverythingItHoldsOnTheWholeInstance() {
        String key = TestKeys.line(TestKeys.ed25519());

        assertRefused("missing permission agents:desire on the whole instance: user boss holds it",
                "user.password", () -> manager.setPassword("boss", null, NEW_PASSWORD.toCharArray(), um));
        assertRefused("missing permission agents:desire on the whole instance: user boss holds it",
                "token.create", () -> manager.createToken(um, "boss", "x", null, null, null));
        assertRefused("missing permission agents:desire on the whole instance: user boss holds it", "key.add",
                () -> manager.addKey("boss", key, um));
        assertTrue(fixture.login("boss").authenticated(), "the password stays");
        assertEquals(List.of(), manager.tokens("boss"));
        assertEquals(List.of(), manager.keys("boss"));

        manager.setPassword("bob", null, NEW_PASSWORD.toCharArray(), um);
        manager.createToken(um, "bob", "x", null, null, null);
        manager.addKey("bob", key, um);
        manager.updateUser("bob", null, true, um);
        assertTrue(manager.user("bob").disabled(), "disabling someone lets no one act as it");
    }

    @Test
    void removingAnotherUsersKeyOrRevokingItsTokenNeedsEverythingItHoldsOnTheWholeInstance() {
        String bossKey = manager.addKey("boss", TestKeys.line(TestKeys.ed25519()), ROOT_CALLER).fingerprint();
        UUID bossToken = manager.createToken(ROOT_CALLER, "boss", "laptop", null, null, null).token().id();
        String bobKey = manager.addKey("bob", TestKeys.line(TestKeys.ed25519()), ROOT_CALLER).fingerprint();
        UUID bobToken = manager.createToken(ROOT_CALLER, "bob", "laptop", null, null, null).token().id();

        assertRefused("missing permission agents:desire on the whole instance: user boss holds it, and a caller"
                + " takes away only what it holds", "key.remove", () -> manager.removeKey("boss", bossKey, um));
        assertRefused("missing permission agents:desire on the whole instance: user boss holds it, and a caller"
                + " takes away only what it holds", "token.revoke", () -> manager.revokeToken(bossToken, um));
        assertEquals(1, manager.keys("boss").size(), "the admin keeps its key");
        assertNull(manager.token(bossToken).revoked(), "and its token");

        manager.removeKey("bob", bobKey, um);
        manager.revokeToken(bobToken, um);

        assertEquals(List.of(), manager.keys("bob"));
        assertNotNull(manager.token(bobToken).revoked());
    }

    @Test
    void aUserRemovesItsOwnKeysAndRevokesItsOwnTokensThroughATokenToo() {
        fixture.bind(SECURITY_MANAGER, "boss", null, true);
        String key = manager.addKey("boss", TestKeys.line(TestKeys.ed25519()), ROOT_CALLER).fingerprint();
        UUID laptop = manager.createToken(ROOT_CALLER, "boss", "laptop", null, null, null).token().id();
        IssuedToken narrow = manager.createToken(ROOT_CALLER, "boss", "ci", Set.of(SECURITY_MANAGER), null, null);
        Caller ci = manager.authenticate(SecurityFixture.bearer(narrow.secret()), ADDRESS);

        manager.revokeToken(laptop, ci);
        assertThrows(ForbiddenException.class, () -> manager.removeKey("boss", key, ci),
                "removing a key needs what the user holds through a token, as adding one does");
        manager.removeKey("boss", key, fixture.login("boss"));

        assertNotNull(manager.token(laptop).revoked());
        assertEquals(List.of(), manager.keys("boss"));
    }

    @Test
    void throughATokenAUserActsOnItselfOnlyWithWhatTheTokenCarries() {
        fixture.bind(SECURITY_MANAGER, "boss", null, true);
        IssuedToken narrow = manager.createToken(ROOT_CALLER, "boss", "ci", Set.of(SECURITY_MANAGER), null, null);
        Caller ci = manager.authenticate(SecurityFixture.bearer(narrow.secret()), ADDRESS);

        ForbiddenException refused = assertThrows(ForbiddenException.class,
                () -> manager.setPassword("boss", null, NEW_PASSWORD.toCharArray(), ci));
        assertTrue(refused.getMessage().contains("user boss holds it"), refused.getMessage());
        assertThrows(ForbiddenException.class, () -> manager.addKey("boss", TestKeys.line(TestKeys.ed25519()), ci));

        manager.setPassword("boss", null, NEW_PASSWORD.toCharArray(), fixture.login("boss"));
        assertTrue(manager.login("boss", NEW_PASSWORD.toCharArray(), ADDRESS).authenticated());
    }

    @Test
    void agentsReportIsGrantedWhereTheCallerMayEnrollAgents() {
        manager.addUser("bot", "", true, null, ROOT);

        assertRefused("missing permission agents:report on system 'web'", "binding.create",
                () -> manager.bind("agent", "bot", null, "web", false, um));
        manager.bind("agent", "bot", null, "web", false, fixture.login("boss"));
    }

    @Test
    void theFirstAdminStillDoesAllOfIt() {
        SecurityFixture fresh = new SecurityFixture();
        fresh.manager.firstStart(PASSWORD);
        Caller admin = fresh.login("admin");
        SecurityManager security = fresh.manager;
        fresh.systems.add("web");
        fresh.user("alice");
        security.addUser("bot", "", true, null, ROOT);
        security.addGroup("admins", "", ROOT);
        security.bind("admin", null, "admins", null, true, admin);

        security.bind("admin", "alice", null, null, true, admin);
        security.bind("agent", "bot", null, "web", false, admin);
        security.changeMember("admins", "alice", true, admin);
        security.saveRole("everything", "", Set.copyOf(security.role("admin").permissions()), true, admin);
        security.setPassword("alice", null, NEW_PASSWORD.toCharArray(), admin);
        security.createToken(admin, "alice", "x", null, null, null);
        security.addKey("alice", TestKeys.line(TestKeys.ed25519()), admin);

        assertTrue(security.login("alice", NEW_PASSWORD.toCharArray(), ADDRESS).mayEverywhere(SECURITY_WRITE));

        security.saveRole("everything", null, Set.of(SYSTEMS_READ), false, admin);
        security.removeRole("everything", admin);
        security.unbind(security.bindings().stream().filter(b -> "alice".equals(b.user())).findFirst().orElseThrow()
                .id(), admin);
        security.changeMember("admins", "alice", false, admin);
        security.removeGroup("admins", admin);
        security.updateUser("alice", null, true, admin);
        security.updateUser("alice", null, false, admin);
        security.updateUser("bot", null, true, admin);
        security.removeUser("bot", admin);
        security.removeUser("alice", admin);

        assertEquals(List.of("admin"), security.users().stream().map(SecurityManager.User::name).toList());
        assertEquals(List.of(), security.groups());
        assertThrows(NotFoundException.class, () -> security.role("everything"));
    }
}
