package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.security.internal.SecurityManager.Role;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "security", name = "role-list", description = "Lists the roles, built-in ones first, with "
        + "the permissions each holds now.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_READ, everywhere = true)
public class RoleListCommand extends ListCommand<Role> {

    public RoleListCommand() {
        super(RoleListCommand::table);
    }

    @Override
    List<Role> rows(Caller caller) {
        return security.roles();
    }

    static ShellTable table(List<Role> roles) {
        ShellTable table = new ShellTable().emptyTableText("No roles");
        table.column("Name");
        table.column("Built in");
        table.column("Description").maxSize(40);
        table.column("Permissions").maxSize(80).wrap();
        for (Role role : roles) {
            table.addRow().addContent(role.name(), role.builtIn() ? "yes" : "no", role.description(),
                    String.join(", ", role.permissions()));
        }
        return table;
    }
}
