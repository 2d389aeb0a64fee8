package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.security.internal.SecurityManager;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "group-member-add",
        description = "Adds users to a group, one after the other.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class GroupMemberAddCommand extends SecuredAction {

    @Argument(index = 0, name = "group", description = "The group", required = true)
    @Completion(GroupNameCompleter.class)
    String group;

    @Argument(index = 1, name = "users", description = "The users", required = true, multiValued = true)
    @Completion(UserNameCompleter.class)
    List<String> users;

    @Reference
    SecurityManager security;

    @Override
    protected Object execute(Caller caller) {
        for (String user : users) {
            boolean before = security.group(group).members().contains(user);
            boolean after = security.changeMember(group, user, true, caller.source()).members().contains(user);
            System.out.println(before == after ? user + " is already in group " + group
                    : "Added " + user + " to group " + group);
        }
        return null;
    }
}
