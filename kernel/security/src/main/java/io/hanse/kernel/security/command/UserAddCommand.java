package io.hanse.kernel.security.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.security.internal.SecurityManager;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

@Command(scope = "security", name = "user-add", description = "Creates a user, or with --service a service "
        + "principal for programs. Asks for the password unless --password or --no-password is given; a "
        + "service principal has no password unless --password is given.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class UserAddCommand extends SecurityCommand {

    @Argument(index = 0, name = "name", description = "The user name: lower-case letters, digits, '.', '_' and "
            + "'-', starting with a letter", required = true)
    String name;

    @Option(name = "--display-name", description = "The name people see, such as 'Alice Example'")
    String displayName;

    @Option(name = "--service", description = "Creates a service principal: a program that logs in with API "
            + "tokens, recorded as an agent")
    boolean service;

    @Option(name = "--password", description = "The password, for scripts; without it the command asks for one",
            censor = true)
    String password;

    @Option(name = "--no-password", description = "Creates the user without a password: it logs in with SSH "
            + "keys or API tokens only")
    boolean noPassword;

    @Reference
    Session session;

    @Override
    protected Object execute(Caller caller) {
        if (noPassword && password != null) {
            throw new InvalidRequestException("give --password or --no-password, not both");
        }
        char[] chosen = chosenPassword();
        SecurityManager.User user;
        try {
            user = security.addUser(name, displayName, service, chosen, caller.source());
        } finally {
            PasswordPrompt.forget(chosen);
        }
        out().println(created(user, chosen != null));
        return null;
    }

    /** Returns the password to set: the one given, one asked for, or none. */
    private char[] chosenPassword() {
        if (password != null) {
            return password.toCharArray();
        }
        if (noPassword || service) {
            return null;
        }
        return PasswordPrompt.askNew(console(), "Password for " + name + ": ");
    }

    PasswordPrompt.LineReader console() {
        return session::readLine;
    }

    /** Returns what was created, and how the new principal can log in. */
    static String created(SecurityManager.User user, boolean withPassword) {
        String what = (user.service() ? "service principal " : "user ") + user.name();
        String login = withPassword ? "" : " without a password: it logs in with SSH keys (security:key-add) or "
                + "API tokens (security:token-create)";
        return "Created " + what + login + ". Grant it a role with security:bind --user " + user.name() + " ROLE";
    }
}
