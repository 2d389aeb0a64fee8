package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.security.internal.SecurityManager.Group;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "security", name = "group-list", description = "Lists groups with their members.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_READ, everywhere = true)
public class GroupListCommand extends ListCommand<Group> {

    public GroupListCommand() {
        super(GroupListCommand::table);
    }

    @Override
    List<Group> rows(Caller caller) {
        return security.groups();
    }

    static ShellTable table(List<Group> groups) {
        ShellTable table = new ShellTable().emptyTableText("No groups");
        table.column("Name");
        table.column("Description").maxSize(50);
        table.column("Members").maxSize(80).wrap();
        for (Group group : groups) {
            table.addRow().addContent(group.name(), group.description(), String.join(", ", group.members()));
        }
        return table;
    }
}
