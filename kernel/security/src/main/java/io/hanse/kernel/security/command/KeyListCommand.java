package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.security.internal.SecurityManager.Key;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "security", name = "key-list", description = "Lists the SSH keys a user logs in with.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_READ, everywhere = true)
public class KeyListCommand extends ListCommand<Key> {

    @Argument(index = 0, name = "user", description = "The user", required = true)
    @Completion(UserNameCompleter.class)
    String user;

    public KeyListCommand() {
        super(KeyListCommand::table);
    }

    @Override
    List<Key> rows(Caller caller) {
        return security.keys(user);
    }

    static ShellTable table(List<Key> keys) {
        ShellTable table = new ShellTable().emptyTableText("No SSH keys");
        table.column("Fingerprint");
        table.column("Type");
        table.column("Comment").maxSize(40);
        table.column("Created");
        for (Key key : keys) {
            String[] parts = key.publicKey().strip().split("\\s+", 3);
            table.addRow().addContent(key.fingerprint(), parts[0], parts.length == 3 ? parts[2] : "",
                    ShellText.time(key.created()));
        }
        return table;
    }
}
