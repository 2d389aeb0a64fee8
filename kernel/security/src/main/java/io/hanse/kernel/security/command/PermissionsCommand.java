package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.Permission;
import io.hanse.api.security.RequiresPermission;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "security", name = "permissions", description = "Lists every permission the kernel and the "
        + "installed plugins declare, with the level that says which built-in roles hold it: read (viewer, "
        + "operator, admin), operate (operator, admin) or administer (admin).")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_READ, everywhere = true)
public class PermissionsCommand extends ListCommand<Permission> {

    public PermissionsCommand() {
        super(PermissionsCommand::table);
    }

    @Override
    List<Permission> rows(Caller caller) {
        return security.permissions();
    }

    static ShellTable table(List<Permission> permissions) {
        ShellTable table = new ShellTable().emptyTableText("No permissions");
        table.column("Name");
        table.column("Level");
        table.column("Description").maxSize(80).wrap();
        for (Permission permission : permissions) {
            table.addRow().addContent(permission.name(), permission.level().name().toLowerCase(Locale.ROOT),
                    permission.description());
        }
        return table;
    }
}
