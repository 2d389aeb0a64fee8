package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "group-add", description = "Creates a group of users, to bind roles to "
        + "all of them at once.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class GroupAddCommand extends SecurityCommand {

    @Argument(index = 0, name = "name", description = "The group name: lower-case letters, digits, '.', '_' "
            + "and '-', starting with a letter", required = true)
    String name;

    @Option(name = "--description", description = "What the group is for")
    String description;

    @Override
    protected Object execute(Caller caller) {
        security.addGroup(name, description, caller.source());
        out().println("Created group " + name + ". Add users with security:group-member-add " + name
                + " USER");
        return null;
    }
}
