package io.hanse.kernel.core.command.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemService;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "system", name = "member-remove", description = "Removes explicit members from an "
        + "aggregate, one after the other. Members its selector chooses stay members.")
@Service
@RequiresPermission(SYSTEMS_WRITE)
public class SystemMemberRemoveCommand extends SecuredAction {

    @Argument(index = 0, name = "aggregate", description = "The aggregate", required = true)
    @Completion(SystemSlugCompleter.class)
    String aggregate;

    @Argument(index = 1, name = "members", description = "The explicit members to remove", required = true,
            multiValued = true)
    @Completion(SystemSlugCompleter.class)
    List<String> members;

    @Reference
    SystemService systems;

    @Reference
    SystemAdminService admin;

    @Override
    protected Object execute(Caller caller) {
        for (String member : members) {
            admin.removeMember(aggregate, member, caller);
            out().println("Removed " + member + " from " + aggregate);
            if (systems.members(aggregate).stream().anyMatch(system -> system.slug().equals(member))) {
                out().println("  " + member + " is still a member: the selector of " + aggregate + " chooses it");
            }
        }
        return null;
    }
}
