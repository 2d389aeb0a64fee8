package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.security.internal.SecurityManager.User;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "security", name = "user-list", description = "Lists users and service principals.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_READ, everywhere = true)
public class UserListCommand extends ListCommand<User> {

    public UserListCommand() {
        super(UserListCommand::table);
    }

    @Override
    List<User> rows(Caller caller) {
        return security.users();
    }

    static ShellTable table(List<User> users) {
        ShellTable table = new ShellTable().emptyTableText("No users");
        table.column("Name");
        table.column("Kind");
        table.column("Display name").maxSize(40);
        table.column("State");
        table.column("Groups").maxSize(60);
        table.column("Created");
        for (User user : users) {
            table.addRow().addContent(user.name(), kind(user), user.displayName(), state(user),
                    String.join(", ", user.groups()), ShellText.time(user.created()));
        }
        return table;
    }

    static String kind(User user) {
        return user.service() ? "service" : "user";
    }

    /** Returns whether the user can log in, and whether it still has to replace a one-time password. */
    static String state(User user) {
        if (user.disabled()) {
            return "disabled";
        }
        return user.oneTimePassword() ? "one-time password" : "enabled";
    }
}
