package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "user-remove", description = "Deletes a user with its group memberships, "
        + "role bindings, API tokens and SSH keys; needs every permission the user holds, on the whole instance. "
        + "To keep them, disable it instead (security:user-set --disable).")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class UserRemoveCommand extends SecurityCommand {

    @Argument(index = 0, name = "name", description = "The user", required = true)
    @Completion(UserNameCompleter.class)
    String name;

    @Override
    protected Object execute(Caller caller) {
        security.removeUser(name, caller);
        out().println("Removed user " + name + " with its role bindings, API tokens and SSH keys");
        return null;
    }
}
