package io.hanse.kernel.security.internal;

import java.security.Principal;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.shell.ssh.KarafJaasAuthenticator;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.server.SshServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the SSH sessions of users who lost a Karaf role they logged in with. Karaf checks its own
 * commands ({@code bundle:}, {@code config:}, {@code shell:exec}, …) against the roles the
 * session's subject got at login, for as long as the session stays open; Hanse's own commands ask
 * for the user's current rights, Karaf's cannot. So a session whose user is gone or disabled, or no
 * longer holds every Karaf role its subject carries, is closed: its user logs in again, with the
 * roles it holds now, if any.
 */
final class SshSessions {

    private static final Logger LOG = LoggerFactory.getLogger(SshSessions.class);

    /** The Karaf roles a principal holds now, by its id: none if it is gone or disabled. */
    private final Function<UUID, Set<String>> karafRoles;
    /** Karaf's SSH server, while it runs. */
    private volatile SshServer server;

    SshSessions(Function<UUID, Set<String>> karafRoles) {
        this.karafRoles = karafRoles;
    }

    void serverStarted(SshServer started) {
        server = started;
    }

    void serverStopped(SshServer stopped) {
        if (server == stopped) {
            server = null;
        }
    }

    /** Closes each session logged in through Hanse's realm whose user no longer holds all its Karaf roles. */
    void closeThoseWhoLostRoles() {
        SshServer running = server;
        // Karaf registers its server before it starts it: until then there are no sessions to ask for.
        if (running == null || !running.isStarted()) {
            return;
        }
        try {
            closeThoseWhoLostRoles(running);
        } catch (RuntimeException e) {
            // The change itself is stored: a server stopping meanwhile must not fail it.
            LOG.warn("Could not go through the SSH sessions after a security change: {}", e.toString());
        }
    }

    private void closeThoseWhoLostRoles(SshServer running) {
        for (AbstractSession session : running.getActiveSessions()) {
            // Set once the login succeeded; sessions still logging in get their roles afresh.
            Subject subject = session.getAttribute(KarafJaasAuthenticator.SUBJECT_ATTRIBUTE_KEY);
            if (subject == null) {
                continue;
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
}
