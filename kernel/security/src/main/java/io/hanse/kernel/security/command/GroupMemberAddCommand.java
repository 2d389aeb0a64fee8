package io.hanse.kernel.security.command;

import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "group-member-add",
        description = "Adds users to a group: all of them, or none if one cannot be added.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class GroupMemberAddCommand extends GroupMemberCommand {

    public GroupMemberAddCommand() {
        super(true);
    }

    @Override
    String report(String user, boolean changed) {
        return changed ? "Added " + user + " to group " + group : user + " is already in group " + group;
    }
}
