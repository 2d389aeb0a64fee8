package io.hanse.kernel.security.internal;

import static io.hanse.api.security.KernelPermissions.SECURITY_WRITE;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.kernel.security.internal.SecurityFixture.ACK;
import static io.hanse.kernel.security.internal.SecurityFixture.PASSWORD;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT_CALLER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.UnauthenticatedException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Permission;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.security.Refusals;
import io.hanse.kernel.security.SignedRequest;
import io.hanse.kernel.security.internal.SecurityFixture.MonitoringPermissions;
import io.hanse.kernel.store.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivilegedAction;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.modules.publickey.PublickeyCallback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Shell logins through Karaf's JAAS realm, and the caller a shell command runs as. */
class HanseLoginModuleTest {

    private static final String CLIENT = "/203.0.113.9:50022";

    private final SecurityFixture fixture = new SecurityFixture(TestConfig.DEFAULTS.withThrottle(3, 60));
    private final SecurityManager manager = fixture.manager;

    @BeforeEach
    void usersAndSystems() {
        fixture.systems.add("cache");
        fixture.systems.add("web", "cache");
        fixture.user("alice");
        fixture.bind("viewer", "alice", "web", true);
        fixture.user("boss");
        fixture.bind("admin", "boss", null, true);
    }

    /** Answers the name and the password; as an SSH client that offers a password. */
    private static CallbackHandler password(String user, String password) {
        return callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback secret) {
                    secret.setPassword(password.toCharArray());
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        };
    }

    /** Answers the name and the key, and cannot give a password; as an SSH client that offers a key. */
    private static CallbackHandler key(String user, PublicKey key) {
        return callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PublickeyCallback offered) {
                    offered.setPublicKey(key);
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        };
    }

    private HanseLoginModule module(Subject subject, CallbackHandler handler) {
        HanseLoginModule module = new HanseLoginModule();
        module.initialize(subject, handler, new HashMap<>(), Map.of(HanseRealm.MANAGER_OPTION, manager));
        return module;
    }

    private static Subject client(String address) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new ClientPrincipal("ssh", address));
        return subject;
    }

    private Subject logIn(CallbackHandler handler) throws LoginException {
        Subject subject = client(CLIENT);
        HanseLoginModule module = module(subject, handler);
        assertTrue(module.login());
        assertTrue(module.commit());
        return subject;
    }

    private static Set<String> names(Subject subject, Class<? extends Principal> type) {
        return subject.getPrincipals(type).stream().map(Principal::getName).collect(Collectors.toSet());
    }

    private static Caller runningAs(Subject subject, SecurityManager manager) {
        return Subject.doAs(subject, (PrivilegedAction<Caller>) manager::shellCaller);
    }

    @Test
    void aPasswordLoginGivesTheUserItsMarkerAndTheSshRole() throws LoginException {
        Subject subject = logIn(password("alice", PASSWORD));

        assertEquals(Set.of("alice"), names(subject, UserPrincipal.class));
        assertEquals(Set.of(new HanseLogin(fixture.store.principal("alice").id(), "alice", "password",
                "203.0.113.9")), subject.getPrincipals(HanseLogin.class));
        assertEquals(Set.of("ssh"), names(subject, RolePrincipal.class));
    }

    @Test
    void onlyAnAdminOfTheWholeInstanceGetsKarafsAdminRole() throws LoginException {
        fixture.user("carol");
        fixture.bind("admin", "carol", "web", true);

        assertEquals(Set.of("admin", "manager", "viewer", "systembundles", "ssh"),
                names(logIn(password("boss", PASSWORD)), RolePrincipal.class), "Karaf's roles of its administrators");
        assertEquals(Set.of("ssh"), names(logIn(password("carol", PASSWORD)), RolePrincipal.class));
    }

    @Test
    void aUserWithoutBindingsGetsNoRoleToLogInWith() throws LoginException {
        fixture.user("dave");

        Subject subject = logIn(password("dave", PASSWORD));

        assertEquals(Set.of("dave"), names(subject, UserPrincipal.class));
        assertEquals(Set.of(), names(subject, RolePrincipal.class));
    }

    @Test
    void aWrongPasswordFailsAndCommitsNothing() {
        Subject subject = client(CLIENT);
        HanseLoginModule module = module(subject, password("alice", "Wrong-Horse-8-Battery"));

        assertThrows(FailedLoginException.class, module::login);
        assertFalse(module.commit());
        assertEquals(Set.of(), names(subject, UserPrincipal.class));
        assertEquals(Set.of(), subject.getPrincipals(HanseLogin.class));
    }

    @Test
    void aKeyLoginWorksWithTheUsersOwnKeyOnly() throws LoginException {
        PublicKey aliceKey = TestKeys.ecdsa();
        manager.addKey("alice", TestKeys.line(aliceKey), ROOT_CALLER);

        Subject subject = logIn(key("alice", aliceKey));

        assertEquals(Set.of("alice"), names(subject, UserPrincipal.class));
        assertEquals(Set.of("alice"), names(subject, HanseLogin.class));
        assertEquals(Set.of("ssh"), names(subject, RolePrincipal.class));
        assertThrows(FailedLoginException.class, () -> module(client(CLIENT), key("boss", aliceKey)).login());
        assertThrows(FailedLoginException.class,
                () -> module(client(CLIENT), key("alice", TestKeys.ecdsa())).login());
        assertThrows(FailedLoginException.class, () -> module(client(CLIENT), key("alice", null)).login());
    }

    @Test
    void keyLoginsAreNotThrottledSoAnAgentWithManyKeysAndAUserLockedOutByGuessesGetIn() throws LoginException {
        PublicKey aliceKey = TestKeys.ecdsa();
        manager.addKey("alice", TestKeys.line(aliceKey), ROOT_CALLER);
        for (int i = 0; i < 10; i++) {
            assertThrows(FailedLoginException.class,
                    () -> module(client(CLIENT), key("alice", TestKeys.ecdsa())).login());
        }
        assertTrue(module(client(CLIENT), password("alice", PASSWORD)).login(), "other keys are no failed logins");
        for (int i = 0; i < 10; i++) {
            assertThrows(FailedLoginException.class,
                    () -> module(client(CLIENT), password("alice", "Wrong-Horse-8-Battery")).login());
        }

        assertTrue(module(client(CLIENT), key("alice", aliceKey)).login(), "the key works while passwords are locked");
    }

    @Test
    void aKeyLoginSaysWhichKeyAndIsNotAuditedBeforeItsSessionIsAuthenticated() throws LoginException {
        PublicKey aliceKey = TestKeys.ecdsa();
        String fingerprint = manager.addKey("alice", TestKeys.line(aliceKey), ROOT_CALLER).fingerprint();
        int entries = fixture.store.audit.size();

        Subject subject = logIn(key("alice", aliceKey));

        assertEquals(Set.of(new HanseLogin(fixture.store.principal("alice").id(), "alice", "key " + fingerprint,
                "203.0.113.9")), subject.getPrincipals(HanseLogin.class));
        assertEquals(entries, fixture.store.audit.size(), "the client has not shown it holds the private half yet");
    }

    @Test
    void refusedSignedRequestsDoNotUseUpTheAuditEntriesOfRefusedKeys() {
        KeyPair forger = TestKeys.ed25519Pair();
        // From more networks in one minute than refusals are written of all together.
        for (int i = 0; i < 100; i++) {
            SignedRequest forged = TestKeys.sign(forger, "POST", "/api/v1/agents/observations",
                    "[]".getBytes(StandardCharsets.UTF_8), fixture.clock.instant());
            String address = "198.51.100." + (i + 1);
            assertThrows(UnauthenticatedException.class, () -> manager.authenticate(new SignedRequest(
                    forged.authorization(), forged.method(), forged.target(), forged.body(), address)));
        }
        int entries = fixture.store.audit.size();

        PublicKey stranger = TestKeys.ed25519();
        assertThrows(FailedLoginException.class, () -> module(client(CLIENT), key("alice", stranger)).login());

        assertEquals(List.of("login.key-refused"), fixture.store.audit.subList(entries, fixture.store.audit.size())
                .stream().map(AuditEntry::action).toList());
    }

    @Test
    void refusedKeysAreLoggedAndAuditedOnceAMinutePerAddressByTheirFingerprintOnly() {
        PublicKey stranger = TestKeys.ed25519();
        PublicKey bossKey = TestKeys.ecdsa();
        manager.addKey("boss", TestKeys.line(bossKey), ROOT_CALLER);
        int entries = fixture.store.audit.size();

        for (int i = 0; i < 3; i++) {
            assertThrows(FailedLoginException.class, () -> module(client(CLIENT), key("alice", stranger)).login());
        }
        assertThrows(FailedLoginException.class, () -> module(client(CLIENT), key("alice", bossKey)).login());
        fixture.clock.advance(Refusals.INTERVAL);
        assertThrows(FailedLoginException.class, () -> module(client(CLIENT), key("alice", bossKey)).login());

        List<AuditEntry> refused = fixture.store.audit.subList(entries, fixture.store.audit.size());
        assertEquals(List.of("login.key-refused", "login.key-refused"), refused.stream().map(AuditEntry::action)
                .toList());
        assertEquals(Source.KERNEL, refused.get(0).actor());
        assertEquals("user/alice", refused.get(0).target());
        assertTrue(refused.get(0).after().contains("\"key\":\"" + SshKeys.fingerprint(stranger) + "\""),
                refused.get(0).after());
        assertTrue(refused.get(0).after().contains("no user has this key"), refused.get(0).after());
        assertTrue(refused.get(0).after().contains("\"address\":\"203.0.113.9\""), refused.get(0).after());
        assertTrue(refused.get(1).after().contains("the key is another user's"), refused.get(1).after());
        assertTrue(refused.get(1).after().contains("\"suppressed\":3"), refused.get(1).after());
        for (AuditEntry entry : refused) {
            for (PublicKey key : List.of(stranger, bossKey)) {
                String material = TestKeys.line(key).split(" ")[1];
                assertFalse(entry.after().contains(material), "never the key itself: " + entry.after());
            }
        }
    }

    @Test
    void aRemovedKeyNoLongerLogsIn() {
        PublicKey aliceKey = TestKeys.ecdsa();
        String fingerprint = manager.addKey("alice", TestKeys.line(aliceKey), ROOT_CALLER).fingerprint();

        manager.removeKey("alice", fingerprint, ROOT_CALLER);

        assertEquals(List.of(), manager.keys("alice"));
        assertThrows(FailedLoginException.class, () -> module(client(CLIENT), key("alice", aliceKey)).login());
    }

    @Test
    void failedLoginsCountPerClientHostWhateverThePort() throws LoginException {
        String[] names = {"mallory", "oscar", "trudy", "root"};
        for (int i = 0; i < names.length; i++) {
            HanseLoginModule module = module(client("/203.0.113.9:" + (50001 + i)),
                    password(names[i], "Wrong-Horse-8-Battery"));
            assertThrows(FailedLoginException.class, module::login);
        }

        FailedLoginException locked = assertThrows(FailedLoginException.class,
                () -> module(client("/203.0.113.9:50100"), password("alice", PASSWORD)).login());
        assertTrue(locked.getMessage().contains("too many failed logins"), locked.getMessage());
        assertTrue(module(client("/203.0.113.10:50100"), password("alice", PASSWORD)).login());
    }

    @Test
    void logoutTakesBackWhatTheLoginGave() throws LoginException {
        Subject subject = client(CLIENT);
        HanseLoginModule module = module(subject, password("alice", PASSWORD));
        module.login();
        module.commit();

        assertTrue(module.logout());

        assertEquals(Set.of(), names(subject, UserPrincipal.class));
        assertEquals(Set.of(), names(subject, RolePrincipal.class));
        assertEquals(Set.of(), subject.getPrincipals(HanseLogin.class));
        assertEquals(1, subject.getPrincipals(ClientPrincipal.class).size(), "what Karaf put there stays");
    }

    @Test
    void aShellCommandRunsAsTheUserWhoLoggedInWithItsCurrentRights() throws LoginException {
        Subject subject = logIn(password("alice", PASSWORD));

        Caller caller = runningAs(subject, manager);

        assertEquals(new Source(Source.Kind.USER, "alice"), caller.source());
        assertEquals(Scope.of(Set.of("web", "cache")), caller.scope(SYSTEMS_READ));
        assertFalse(caller.mayEverywhere(SECURITY_WRITE));

        manager.updateUser("alice", null, true, ROOT_CALLER);

        assertFalse(runningAs(subject, manager).authenticated(), "a user disabled meanwhile is refused");
    }

    @Test
    void theLocalConsoleWithKarafsAdminRoleMayDoEverything() {
        manager.addPermissionSet(new MonitoringPermissions());
        Subject console = new Subject();
        console.getPrincipals().add(new RolePrincipal("admin"));

        Caller caller = runningAs(console, manager);

        assertEquals(new Source(Source.Kind.USER, "console"), caller.source());
        assertTrue(caller.authenticated());
        for (Permission permission : manager.permissions()) {
            assertTrue(caller.mayEverywhere(permission.name()), permission.name());
        }
        assertTrue(caller.mayEverywhere(ACK));
    }

    @Test
    void aSubjectThatIsNeitherAHanseLoginNorKarafsAdminIsAnonymous() {
        Subject named = new Subject();
        named.getPrincipals().add(new UserPrincipal("karaf"));
        named.getPrincipals().add(new RolePrincipal("admin"));
        Subject viewer = new Subject();
        viewer.getPrincipals().add(new UserPrincipal("karaf"));
        viewer.getPrincipals().add(new RolePrincipal("viewer"));

        assertEquals("karaf", runningAs(named, manager).source().name());
        assertFalse(runningAs(viewer, manager).authenticated());
        assertEquals(Scope.NOWHERE, runningAs(viewer, manager).scope(SYSTEMS_READ));
        assertFalse(manager.shellCaller().authenticated(), "no subject at all");
    }
}
