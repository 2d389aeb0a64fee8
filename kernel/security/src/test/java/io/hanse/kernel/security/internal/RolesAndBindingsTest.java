package io.hanse.kernel.security.internal;

import static io.hanse.api.security.KernelPermissions.AUDIT_READ;
import static io.hanse.api.security.KernelPermissions.SECURITY_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;
import static io.hanse.api.security.KernelPermissions.TIMELINE_READ;
import static io.hanse.kernel.security.internal.SecurityFixture.ACK;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT_CALLER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ForbiddenException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Permission;
import io.hanse.api.security.PermissionSet;
import io.hanse.api.security.Scope;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemEvent;
import io.hanse.kernel.security.internal.SecurityFixture.MonitoringPermissions;
import io.hanse.kernel.security.internal.SecurityManager.Binding;
import io.hanse.kernel.security.internal.SecurityManager.Role;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may do what where: built-in and custom roles, bound to users and groups, on systems or everywhere. */
class RolesAndBindingsTest {

    private final SecurityFixture fixture = new SecurityFixture();
    private final SecurityManager manager = fixture.manager;

    @BeforeEach
    void systems() {
        // region ⊃ shop ⊃ {web ⊃ cache, db}; other stands alone.
        fixture.systems.add("cache");
        fixture.systems.add("db");
        fixture.systems.add("web", "cache");
        fixture.systems.add("shop", "web", "db");
        fixture.systems.add("region", "shop");
        fixture.systems.add("other");
        fixture.user("alice");
        fixture.user("bob");
    }

    @Test
    void builtInRolesHoldThePermissionsOfTheirLevelAndBelow() {
        List<Role> roles = manager.roles();

        assertEquals(List.of("agent", "viewer", "operator", "admin"), roles.stream().map(Role::name).toList());
        assertTrue(roles.stream().allMatch(Role::builtIn));
        assertEquals(List.of("agents:report"), manager.role("agent").permissions(), "agents report, nothing else");
        assertEquals(List.of("agents:read", "instance:read", "self:manage", "shell:login", "systems:read",
                "timeline:read"), manager.role("viewer").permissions());
        assertEquals(List.of("agents:desire", "agents:read", "federation:read", "instance:read", "self:manage",
                "shell:login", "systems:read", "systems:write", "timeline:append", "timeline:read", "work:write"),
                manager.role("operator").permissions());
        assertEquals(List.of("agents:desire", "agents:enroll", "agents:manage", "agents:read", "audit:read",
                "federation:manage", "federation:read", "instance:backup", "instance:read", "security:read",
                "security:write", "self:manage", "shell:login", "systems:read", "systems:write", "timeline:append",
                "timeline:read", "work:write"), manager.role("admin").permissions(),
                "agents:report is the agents' alone");
    }

    @Test
    void pluginPermissionsJoinTheBuiltInRolesOfTheirLevelAndLeaveWithThePlugin() {
        MonitoringPermissions monitoring = new MonitoringPermissions();
        manager.addPermissionSet(monitoring);
        fixture.bind("operator", "alice", null, true);

        assertTrue(manager.role("operator").permissions().contains(ACK));
        assertTrue(manager.role("admin").permissions().contains(ACK));
        assertFalse(manager.role("viewer").permissions().contains(ACK));
        assertTrue(fixture.login("alice").mayEverywhere(ACK));

        manager.removePermissionSet(monitoring);

        assertFalse(manager.permissions().stream().anyMatch(p -> p.name().equals(ACK)));
        assertFalse(manager.role("operator").permissions().contains(ACK));
        assertEquals(Scope.NOWHERE, fixture.login("alice").scope(ACK));
    }

    @Test
    void aPermissionDeclaredTwiceKeepsItsFirstDeclarationAndSurvivesTheSecondsRemoval() {
        PermissionSet impostor = () -> List.of(new Permission(SYSTEMS_READ, "Claims the kernel's permission",
                Permission.Level.ADMINISTER));
        manager.addPermissionSet(impostor);
        manager.removePermissionSet(impostor);

        Permission kept = manager.permissions().stream().filter(p -> p.name().equals(SYSTEMS_READ)).findFirst()
                .orElseThrow();
        assertEquals(Permission.Level.READ, kept.level());
        assertTrue(manager.role("viewer").permissions().contains(SYSTEMS_READ));
    }

    @Test
    void aViewerOnASystemReadsItAndEverythingBelowItAndNothingElse() {
        fixture.bind("viewer", "alice", "shop", true);

        Caller alice = fixture.login("alice");

        assertEquals(Scope.of(Set.of("shop", "web", "cache", "db")), alice.scope(SYSTEMS_READ));
        assertTrue(alice.may(SYSTEMS_READ, "cache"));
        assertFalse(alice.may(SYSTEMS_READ, "region"), "not the aggregate above the bound system");
        assertFalse(alice.may(SYSTEMS_READ, "other"));
        assertFalse(alice.mayEverywhere(SYSTEMS_READ));
        assertEquals(Scope.NOWHERE, alice.scope(SYSTEMS_WRITE));
        assertThrows(ForbiddenException.class, () -> alice.require(SYSTEMS_READ, "other"));
        assertEquals(Scope.NOWHERE, fixture.login("bob").scope(SYSTEMS_READ));
    }

    @Test
    void withoutMembersABindingCoversOnlyItsSystem() {
        fixture.bind("viewer", "alice", "shop", false);

        assertEquals(Scope.of(Set.of("shop")), fixture.login("alice").scope(SYSTEMS_READ));
    }

    @Test
    void aBindingOnTheInstanceHoldsEverywhere() {
        fixture.bind("viewer", "alice", null, true);

        Caller alice = fixture.login("alice");

        assertEquals(Scope.EVERYWHERE, alice.scope(SYSTEMS_READ));
        assertTrue(alice.may(SYSTEMS_READ, "other"));
        assertTrue(alice.may(SYSTEMS_READ, "created-later"));
        assertEquals(Scope.NOWHERE, alice.scope(SYSTEMS_WRITE));
    }

    @Test
    void bindingsAddUp() {
        fixture.bind("viewer", "alice", null, true);
        fixture.bind("operator", "alice", "web", true);

        Caller alice = fixture.login("alice");

        assertEquals(Scope.EVERYWHERE, alice.scope(SYSTEMS_READ));
        assertEquals(Scope.of(Set.of("web", "cache")), alice.scope(SYSTEMS_WRITE));
    }

    @Test
    void aGroupsBindingHoldsForItsMembersWhileTheyAreMembers() {
        manager.addGroup("ops", "Operations", ROOT);
        manager.changeMember("ops", "alice", true, ROOT_CALLER);
        manager.bind("operator", null, "ops", "web", true, ROOT_CALLER);

        assertEquals(List.of("ops"), manager.user("alice").groups());
        assertEquals(Scope.of(Set.of("web", "cache")), fixture.login("alice").scope(SYSTEMS_WRITE));
        assertEquals(Scope.NOWHERE, fixture.login("bob").scope(SYSTEMS_WRITE));

        manager.changeMember("ops", "alice", false, ROOT_CALLER);

        assertEquals(Scope.NOWHERE, fixture.login("alice").scope(SYSTEMS_WRITE));
    }

    @Test
    void removingAGroupRemovesItsBindings() {
        manager.addGroup("ops", "Operations", ROOT);
        manager.changeMember("ops", "alice", true, ROOT_CALLER);
        manager.bind("viewer", null, "ops", null, true, ROOT_CALLER);

        manager.removeGroup("ops", ROOT_CALLER);

        assertEquals(List.of(), manager.bindings());
        assertTrue(fixture.store.bindings.isEmpty());
        assertEquals(Scope.NOWHERE, fixture.login("alice").scope(SYSTEMS_READ));
    }

    @Test
    void aCustomRoleHoldsExactlyItsPermissionsAsTheyAreChanged() {
        Role auditor = manager.saveRole("auditor", "Reads the audit log", Set.of(AUDIT_READ, SYSTEMS_READ), true,
                ROOT_CALLER);
        fixture.bind("auditor", "alice", null, true);

        assertFalse(auditor.builtIn());
        assertEquals(List.of(AUDIT_READ, SYSTEMS_READ), auditor.permissions());
        Caller before = fixture.login("alice");
        assertTrue(before.mayEverywhere(AUDIT_READ));
        assertTrue(before.mayEverywhere(SYSTEMS_READ));
        assertEquals(Scope.NOWHERE, before.scope(SYSTEMS_WRITE));
        assertEquals(Scope.NOWHERE, before.scope(SECURITY_READ));

        manager.saveRole("auditor", "Reads the timeline", Set.of(TIMELINE_READ), false, ROOT_CALLER);

        Caller after = fixture.login("alice");
        assertTrue(after.mayEverywhere(TIMELINE_READ));
        assertEquals(Scope.NOWHERE, after.scope(AUDIT_READ));
        assertEquals("Reads the timeline", manager.role("auditor").description());
    }

    @Test
    void aCustomRoleLosesAPluginPermissionWhileThePluginIsGone() {
        MonitoringPermissions monitoring = new MonitoringPermissions();
        manager.addPermissionSet(monitoring);
        manager.saveRole("acker", "Acknowledges alerts", Set.of(ACK), true, ROOT_CALLER);
        fixture.bind("acker", "alice", "web", false);
        assertEquals(Scope.of(Set.of("web")), fixture.login("alice").scope(ACK));

        manager.removePermissionSet(monitoring);
        assertEquals(List.of(), manager.role("acker").permissions());
        assertEquals(Scope.NOWHERE, fixture.login("alice").scope(ACK));

        manager.addPermissionSet(new MonitoringPermissions());
        assertEquals(Scope.of(Set.of("web")), fixture.login("alice").scope(ACK));
    }

    @Test
    void removingACustomRoleRemovesItsBindings() {
        manager.saveRole("auditor", "", Set.of(AUDIT_READ), true, ROOT_CALLER);
        fixture.bind("auditor", "alice", null, true);
        Binding kept = fixture.bind("viewer", "alice", "db", false);

        manager.removeRole("auditor", ROOT_CALLER);

        assertEquals(List.of(kept), manager.bindings());
        assertEquals(Set.of(kept.id()), fixture.store.bindings.keySet());
        assertEquals(Scope.NOWHERE, fixture.login("alice").scope(AUDIT_READ));
    }

    @Test
    void aRemovedSystemTakesItsBindingsAlong() {
        fixture.bind("viewer", "alice", "web", true);
        fixture.bind("operator", "alice", "db", false);

        ManagedSystem web = fixture.systems.remove("web");
        fixture.store.systemDeleted(web.id());
        manager.event(new SystemEvent(SystemEvent.Type.REMOVED, web, Optional.of(web), List.of(), List.of()));

        assertEquals(List.of("db"), manager.bindings().stream().map(Binding::system).toList());
        assertEquals(Scope.of(Set.of("db")), fixture.login("alice").scope(SYSTEMS_READ));
        assertEquals(List.of("db"), fixture.restart().bindings().stream().map(Binding::system).toList());
    }

    @Test
    void otherSystemEventsLeaveBindingsAlone() {
        Binding binding = fixture.bind("viewer", "alice", "web", true);
        ManagedSystem web = fixture.systems.get("web");

        manager.event(new SystemEvent(SystemEvent.Type.UPDATED, web, Optional.of(web), List.of(), List.of()));
        manager.event(new SystemEvent(SystemEvent.Type.MEMBERS_CHANGED, web, Optional.of(web), List.of(),
                List.of()));

        assertEquals(List.of(binding), manager.bindings());
    }

    @Test
    void bindingsShowTheirSubjectAndSystemByName() {
        manager.addGroup("ops", "", ROOT);
        Binding toUser = fixture.bind("viewer", "alice", "shop", true);
        Binding toGroup = manager.bind("operator", null, "ops", null, true, ROOT_CALLER);

        assertEquals(List.of("viewer", "alice", "shop"), List.of(toUser.role(), toUser.user(), toUser.system()));
        assertEquals(null, toUser.group());
        assertEquals("ops", toGroup.group());
        assertEquals(null, toGroup.system());
        assertEquals(fixture.clock.instant(), toUser.created());
    }
}
