package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "role-remove", description = "Deletes a role that is not built in, with "
        + "its bindings.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class RoleRemoveCommand extends SecurityCommand {

    @Argument(index = 0, name = "name", description = "The role", required = true)
    @Completion(RoleNameCompleter.class)
    String name;

    @Override
    protected Object execute(Caller caller) {
        security.removeRole(name, caller);
        out().println("Removed role " + name + " with its bindings");
        return null;
    }
}
