package io.hanse.kernel.security.internal;

import java.security.Principal;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.shell.ssh.KarafJaasAuthenticator;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells of each SSH login once its session is authenticated, and closes the SSH sessions of users who
 * lost a Karaf role they logged in with. A login is told only then: a key is checked before the
 * client has shown that it holds its private half, and a client may only ask whether a key would do.
 * Karaf checks its own
 * commands ({@code bundle:}, {@code config:}, {@code shell:exec}, …) against the roles the
 * session's subject got at login, for as long as the session stays open; Hanse's own commands ask
 * for the user's current rights, Karaf's cannot. So a session whose user is gone or disabled, or no
 * longer holds every Karaf role its subject carries, is closed: its user logs in again, with the
 * roles it holds now, if any.
 *
 * <p>Every SSH server registered is watched, not one: Karaf starts a new server whenever its shell's
 * configuration changes (as it may at start, when it reads {@code sshPort}), and leaves the one it
 * stopped registered beside it.
 */
final class SshSessions {

    private static final Logger LOG = LoggerFactory.getLogger(SshSessions.class);

    /** The Karaf roles a principal holds now, by its id: none if it is gone or disabled. */
    private final Function<UUID, Set<String>> karafRoles;
    /** Told of each login through Hanse's realm whose session is authenticated. */
    private final Consumer<HanseLogin> loggedIn;
    /** Karaf's SSH servers while they are registered, whether they run or not. */
    private final Set<SshServer> servers = new CopyOnWriteArraySet<>();

    SshSessions(Function<UUID, Set<String>> karafRoles, Consumer<HanseLogin> loggedIn) {
        this.karafRoles = karafRoles;
        this.loggedIn = loggedIn;
    }

    /**
     * Tells of each session's login, and checks the session, as soon as it is authenticated: a change
     * made while it logged in, after its user's roles were read but before its subject was kept on it,
     * found no subject to check.
     */
    private final SessionListener onAuthenticated = new SessionListener() {
        @Override
        public void sessionEvent(Session session, Event event) {
            if (event == Event.Authenticated) {
                try {
                    Subject subject = session.getAttribute(KarafJaasAuthenticator.SUBJECT_ATTRIBUTE_KEY);
                    if (subject != null) {
                        subject.getPrincipals(HanseLogin.class).forEach(loggedIn);
                    }
                    closeIfLostRoles(session);
                } catch (RuntimeException e) {
                    LOG.warn("Could not check the SSH session of {} as it logged in: {}", session.getUsername(),
                            e.toString());
                }
            }
        }
    };

    void serverRegistered(SshServer registered) {
        if (registered.isClosing() || registered.isClosed()) {
            // Stopped already, as Karaf stops the one it replaces at start: it has no sessions to watch, and sshd
            // would log a WARN for the listener.
            return;
        }
        registered.addSessionListener(onAuthenticated);
        servers.add(registered);
    }

    void serverUnregistered(SshServer unregistered) {
        unregistered.removeSessionListener(onAuthenticated);
        servers.remove(unregistered);
    }

    /** Closes each session logged in through Hanse's realm whose user no longer holds all its Karaf roles. */
    void closeThoseWhoLostRoles() {
        for (SshServer server : servers) {
            // Karaf registers a server before it starts it: until then there are no sessions to ask for.
            if (!server.isStarted()) {
                continue;
            }
            try {
                server.getActiveSessions().forEach(this::closeIfLostRoles);
            } catch (RuntimeException e) {
                // The change itself is stored: a server stopping meanwhile must not fail it.
                LOG.warn("Could not go through the SSH sessions after a security change: {}", e.toString());
            }
        }
    }

    private void closeIfLostRoles(Session session) {
        // Set once the login succeeded; a session still logging in is checked when it is authenticated.
        Subject subject = session.getAttribute(KarafJaasAuthenticator.SUBJECT_ATTRIBUTE_KEY);
        if (subject == null) {
            return;
        }
        for (HanseLogin login : subject.getPrincipals(HanseLogin.class)) {
            Set<String> lost = subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
            lost.removeAll(karafRoles.apply(login.id()));
            if (!lost.isEmpty()) {
                LOG.info("Closing the SSH session of {} from {}: it no longer holds Karaf's {} role(s)",
                        login.name(), session.getRemoteAddress(), String.join(", ", lost));
                session.close(true);
            }
        }
    }
}
