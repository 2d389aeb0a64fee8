package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.security.internal.SecurityManager;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "key-add", description = "Lets a user log in to the shell with an SSH "
        + "key: give the public key line, such as \"ssh-ed25519 AAAA… alice@laptop\", quoted or not.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class KeyAddCommand extends SecurityCommand {

    @Argument(index = 0, name = "user", description = "The user", required = true)
    @Completion(UserNameCompleter.class)
    String user;

    @Argument(index = 1, name = "key", description = "The public key in OpenSSH's one-line format, as in "
            + "~/.ssh/id_ed25519.pub", required = true, multiValued = true)
    List<String> key;

    @Override
    protected Object execute(Caller caller) {
        SecurityManager.Key added = security.addKey(user, String.join(" ", key), caller);
        out().println("Added SSH key " + added.fingerprint() + " to user " + user);
        return null;
    }
}
