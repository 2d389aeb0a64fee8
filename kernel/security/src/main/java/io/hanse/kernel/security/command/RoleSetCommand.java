package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.security.internal.SecurityManager;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "role-set", description = "Replaces the permissions of a role that is "
        + "not built in; everyone bound to it holds the new ones at once.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class RoleSetCommand extends SecurityCommand {

    @Argument(index = 0, name = "name", description = "The role", required = true)
    @Completion(RoleNameCompleter.class)
    String name;

    @Argument(index = 1, name = "permissions", description = "All the permissions the role holds from now on",
            required = true, multiValued = true)
    @Completion(PermissionNameCompleter.class)
    List<String> permissions;

    @Option(name = "--description", description = "A new description; the old one stays if not given")
    String description;

    @Override
    protected Object execute(Caller caller) {
        SecurityManager.Role role = security.saveRole(name, description, new LinkedHashSet<>(permissions), false,
                caller);
        out().println("Role " + role.name() + " now holds " + String.join(", ", role.permissions()));
        return null;
    }
}
