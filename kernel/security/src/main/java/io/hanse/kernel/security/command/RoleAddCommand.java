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

@Command(scope = "security", name = "role-add", description = "Creates a role that holds the given "
        + "permissions; security:permissions lists them. Grant it with security:bind.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class RoleAddCommand extends SecurityCommand {

    @Argument(index = 0, name = "name", description = "The role name: lower-case letters, digits, '.', '_' "
            + "and '-', starting with a letter", required = true)
    String name;

    @Argument(index = 1, name = "permissions", description = "The permissions, such as systems:read",
            required = true, multiValued = true)
    @Completion(PermissionNameCompleter.class)
    List<String> permissions;

    @Option(name = "--description", description = "What the role is for")
    String description;

    @Override
    protected Object execute(Caller caller) {
        SecurityManager.Role role = security.saveRole(name, description, new LinkedHashSet<>(permissions), true,
                caller);
        out().println("Created role " + role.name() + " with " + String.join(", ", role.permissions()));
        return null;
    }
}
