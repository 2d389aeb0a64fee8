package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "group-remove", description = "Deletes a group with its role bindings; "
        + "its members stay, without what the group granted them.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class GroupRemoveCommand extends SecurityCommand {

    @Argument(index = 0, name = "name", description = "The group", required = true)
    @Completion(GroupNameCompleter.class)
    String name;

    @Override
    protected Object execute(Caller caller) {
        security.removeGroup(name, caller);
        out().println("Removed group " + name + " with its role bindings");
        return null;
    }
}
