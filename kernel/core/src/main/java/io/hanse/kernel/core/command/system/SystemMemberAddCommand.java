package io.hanse.kernel.core.command.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.api.system.SystemAdminService;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "system", name = "member-add", description = "Adds explicit members to an aggregate, "
        + "one after the other.")
@Service
@RequiresPermission(SYSTEMS_WRITE)
public class SystemMemberAddCommand extends SecuredAction {

    @Argument(index = 0, name = "aggregate", description = "The aggregate", required = true)
    @Completion(SystemSlugCompleter.class)
    String aggregate;

    @Argument(index = 1, name = "members", description = "The members to add", required = true, multiValued = true)
    @Completion(SystemSlugCompleter.class)
    List<String> members;

    @Reference
    SystemAdminService admin;

    @Override
    protected Object execute(Caller caller) {
        for (String member : members) {
            admin.addMember(aggregate, member, caller);
            out().println("Added " + member + " to " + aggregate);
        }
        return null;
    }
}
