package io.hanse.kernel.security.command;

import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "group-member-remove",
        description = "Removes users from a group: all of them, or none if one cannot be removed.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class GroupMemberRemoveCommand extends GroupMemberCommand {

    public GroupMemberRemoveCommand() {
        super(false);
    }

    @Override
    String report(String user, boolean changed) {
        return changed ? "Removed " + user + " from group " + group : user + " is not in group " + group;
    }
}
