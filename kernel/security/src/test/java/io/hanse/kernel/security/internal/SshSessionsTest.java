package io.hanse.kernel.security.internal;

import static io.hanse.kernel.security.internal.SecurityFixture.PASSWORD;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT_CALLER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.spi.LoginModule;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.shell.ssh.KarafJaasAuthenticator;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Open SSH sessions lose what their user lost: over a real SSH server that logs in with Karaf's
 * authenticator through Hanse's login module, as Karaf's SSH server does.
 */
class SshSessionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SecurityFixture fixture = new SecurityFixture();
    private final SecurityManager manager = fixture.manager;
    private Configuration karafRealm;
    private SshServer server;
    private SshClient client;

    @BeforeEach
    void sshServer() throws Exception {
        fixture.user("alice");
        fixture.bind("viewer", "alice", null, true);
        fixture.user("boss");
        fixture.bind("admin", "boss", null, true);
        fixture.bind("viewer", "boss", null, true);
        // Another admin, whom no session needs: the last admin is never disabled, removed or unbound.
        fixture.user("chief");
        fixture.bind("admin", "chief", null, true);

        karafRealm = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(HanseLoginModule.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of(HanseRealm.MANAGER_OPTION, manager))};
            }
        });
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider());
        KarafJaasAuthenticator karaf = new KarafJaasAuthenticator(HanseRealm.REALM, "ssh",
                new Class<?>[] {RolePrincipal.class});
        server.setPasswordAuthenticator(karaf);
        server.setPublickeyAuthenticator(karaf);
        server.start();
        manager.addSshServer(server);
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        manager.removeSshServer(server);
        server.stop(true);
        Configuration.setConfiguration(karafRealm);
    }

    private ClientSession logIn(String user) throws Exception {
        ClientSession session = client.connect(user, "127.0.0.1", server.getPort()).verify(WAIT).getSession();
        session.addPasswordIdentity(PASSWORD);
        session.auth().verify(WAIT);
        return session;
    }

    /** Whether the server closed the session within the wait. */
    private static boolean closed(ClientSession session, Duration wait) {
        return session.waitFor(EnumSet.of(ClientSessionEvent.CLOSED), wait).contains(ClientSessionEvent.CLOSED);
    }

    @Test
    void eachLoginIsAuditedOnceItsSessionIsAuthenticatedWithItsKeysFingerprintOrPassword() throws Exception {
        KeyPair key = TestKeys.ecdsaPair();
        String fingerprint = manager.addKey("alice", TestKeys.line(key.getPublic()), ROOT_CALLER).fingerprint();
        int entries = fixture.store.audit.size();

        logIn("boss");
        ClientSession alice = client.connect("alice", "127.0.0.1", server.getPort()).verify(WAIT).getSession();
        alice.addPublicKeyIdentity(key);
        alice.auth().verify(WAIT);

        List<AuditEntry> logins = awaitEntries(entries, 2).stream()
                .sorted(Comparator.comparing(AuditEntry::target)).toList();
        assertEquals(List.of("login.ssh", "login.ssh"), logins.stream().map(AuditEntry::action).toList());
        assertEquals(List.of("user/alice", "user/boss"), logins.stream().map(AuditEntry::target).toList());
        assertEquals(new Source(Source.Kind.USER, "boss"), logins.get(1).actor());
        assertTrue(logins.get(1).after().contains("\"with\":\"password\""), logins.get(1).after());
        assertTrue(logins.get(1).after().contains("\"address\":\"127.0.0.1\""), logins.get(1).after());
        assertTrue(logins.get(0).after().contains("\"with\":\"key " + fingerprint + "\""), logins.get(0).after());
        Thread.sleep(200);
        assertEquals(entries + 2, fixture.store.audit.size(), "once each: the key was checked twice, the login is one");
    }

    /** Waits until the audit log holds {@code count} entries after the first {@code from}, and returns them. */
    private List<AuditEntry> awaitEntries(int from, int count) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (fixture.store.audit.size() < from + count && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return List.copyOf(fixture.store.audit.subList(from, fixture.store.audit.size()));
    }

    @Test
    void aServerRegisteredBeforeItStartsFailsNoChange() {
        SshServer notYet = SshServer.setUpDefaultServer();
        manager.addSshServer(notYet);
        try {
            manager.updateUser("alice", null, true, ROOT_CALLER);
            assertTrue(fixture.store.principals.values().stream().anyMatch(p -> p.name().equals("alice")
                    && p.disabled()), "stored, and no failure from the server Karaf has not started yet");
        } finally {
            manager.removeSshServer(notYet);
        }
    }

    @Test
    void aServerKarafStartedAgainBesideTheOneItStoppedIsWatchedToo() throws Exception {
        ClientSession onFirst = logIn("boss");
        SshServer again = SshServer.setUpDefaultServer();
        again.setHost("127.0.0.1");
        again.setPort(0);
        again.setKeyPairProvider(new SimpleGeneratorHostKeyProvider());
        again.setPasswordAuthenticator(server.getPasswordAuthenticator());
        again.start();
        manager.addSshServer(again);
        try {
            int entries = fixture.store.audit.size();
            ClientSession onSecond = client.connect("boss", "127.0.0.1", again.getPort()).verify(WAIT).getSession();
            onSecond.addPasswordIdentity(PASSWORD);
            onSecond.auth().verify(WAIT);
            assertEquals("login.ssh", awaitEntries(entries, 1).get(0).action(), "a login to either is audited");

            manager.updateUser("boss", null, true, ROOT_CALLER);

            assertTrue(closed(onSecond, WAIT), "the session on the server started again is closed");
            assertTrue(closed(onFirst, WAIT), "and the one still open on the first");
        } finally {
            manager.removeSshServer(again);
            again.stop(true);
        }
    }

    /** Disables the user logging in once its roles were read, before its session keeps its subject. */
    public static final class DisablesAsItLogsIn implements LoginModule {

        private SecurityManager manager;
        private String user;

        @Override
        public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState,
                Map<String, ?> options) {
            manager = (SecurityManager) options.get(HanseRealm.MANAGER_OPTION);
            user = (String) options.get("user");
        }

        @Override
        public boolean login() {
            return true;
        }

        @Override
        public boolean commit() {
            manager.updateUser(user, null, true, ROOT_CALLER);
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            return true;
        }
    }

    @Test
    void aUserDisabledWhileItLogsInIsClosedOnceItsSessionIsAuthenticated() throws Exception {
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {
                    new AppConfigurationEntry(HanseLoginModule.class.getName(),
                            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                            Map.of(HanseRealm.MANAGER_OPTION, manager)),
                    new AppConfigurationEntry(DisablesAsItLogsIn.class.getName(),
                            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                            Map.of(HanseRealm.MANAGER_OPTION, manager, "user", "boss"))};
            }
        });
        ClientSession boss = client.connect("boss", "127.0.0.1", server.getPort()).verify(WAIT).getSession();
        boss.addPasswordIdentity(PASSWORD);
        boss.auth();

        assertTrue(closed(boss, WAIT), "the change found no subject on the session yet; its authentication did");
    }

    @Test
    void disablingAUserClosesItsSessionsOnly() throws Exception {
        ClientSession boss = logIn("boss");
        ClientSession alice = logIn("alice");

        manager.updateUser("boss", null, true, ROOT_CALLER);

        assertTrue(closed(boss, WAIT), "a disabled user keeps no session, nor the admin role it carries");
        assertFalse(closed(alice, Duration.ofMillis(500)), "others' sessions stay open");
    }

    @Test
    void losingTheBindingThatGaveKarafsAdminRoleClosesTheSession() throws Exception {
        ClientSession boss = logIn("boss");
        ClientSession alice = logIn("alice");
        UUID admin = manager.bindings().stream().filter(b -> b.role().equals("admin") && "boss".equals(b.user()))
                .findFirst().orElseThrow().id();

        manager.addKey("boss", TestKeys.line(TestKeys.ecdsa()), ROOT_CALLER);
        fixture.bind("operator", "boss", null, true);
        assertFalse(closed(boss, Duration.ofMillis(500)), "changes that take nothing away close nothing");

        manager.unbind(admin, ROOT_CALLER);

        assertTrue(closed(boss, WAIT));
        assertFalse(alice.isClosed());
        assertTrue(logIn("boss").isAuthenticated(), "it logs in again, as a viewer and operator now");
    }

    @Test
    void deletingAUserOrTheGroupThatGaveItsRoleClosesItsSession() throws Exception {
        manager.addGroup("team", "", ROOT);
        manager.changeMember("team", "alice", true, ROOT_CALLER);
        manager.bind("admin", null, "team", null, true, ROOT_CALLER);
        ClientSession alice = logIn("alice");
        ClientSession boss = logIn("boss");

        manager.removeGroup("team", ROOT_CALLER);
        manager.removeUser("boss", ROOT_CALLER);

        assertTrue(closed(alice, WAIT), "alice lost the admin role her group gave her");
        assertTrue(closed(boss, WAIT));
    }
}
