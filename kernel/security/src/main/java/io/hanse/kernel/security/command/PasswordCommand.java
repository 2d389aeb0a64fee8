package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

@Command(scope = "security", name = "password", description = "Changes your own password: asks for the "
        + "current one and the new one. With --user, an administrator sets another user's password without "
        + "knowing the current one.")
@Service
@RequiresPermission(KernelPermissions.SELF_MANAGE)
public class PasswordCommand extends SecurityCommand {

    @Option(name = "--user", description = "Sets this user's password instead of your own; needs "
            + KernelPermissions.SECURITY_WRITE + " and every permission the user holds, on the whole instance")
    @Completion(UserNameCompleter.class)
    String user;

    @Reference
    Session session;

    @Override
    protected Object execute(Caller caller) {
        String target = Callers.actingOn(caller, user, KernelPermissions.SECURITY_WRITE);
        boolean own = target.equals(Callers.self(caller));
        PasswordPrompt.LineReader console = console();
        char[] current = own ? PasswordPrompt.ask(console, "Current password: ") : null;
        char[] chosen = null;
        try {
            chosen = PasswordPrompt.askNew(console, own ? "New password: " : "New password for " + target + ": ");
            security.setPassword(target, current, chosen, caller);
        } finally {
            PasswordPrompt.forget(current);
            PasswordPrompt.forget(chosen);
        }
        out().println(own ? "Changed your password" : "Set the password of user " + target);
        return null;
    }

    PasswordPrompt.LineReader console() {
        return session::readLine;
    }
}
