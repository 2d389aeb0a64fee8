package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "key-remove", description = "Removes an SSH key from a user; it no "
        + "longer logs in with it. Needs, on the whole instance, every permission the user holds.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class KeyRemoveCommand extends SecurityCommand {

    @Argument(index = 0, name = "user", description = "The user", required = true)
    @Completion(UserNameCompleter.class)
    String user;

    @Argument(index = 1, name = "fingerprint", description = "The key's fingerprint, SHA256:…, as "
            + "security:key-list shows it", required = true)
    String fingerprint;

    @Override
    protected Object execute(Caller caller) {
        security.removeKey(user, fingerprint, caller);
        out().println("Removed SSH key " + fingerprint + " from user " + user);
        return null;
    }
}
