package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.security.internal.SecurityManager.Binding;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "security", name = "bindings", description = "Lists the role bindings: which role is granted "
        + "to whom, and where.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_READ, everywhere = true)
public class BindingsCommand extends ListCommand<Binding> {

    public BindingsCommand() {
        super(BindingsCommand::table);
    }

    @Override
    List<Binding> rows(Caller caller) {
        return security.bindings();
    }

    static ShellTable table(List<Binding> bindings) {
        ShellTable table = new ShellTable().emptyTableText("No role bindings");
        table.column("Id");
        table.column("Role");
        table.column("To");
        table.column("On");
        table.column("Created");
        for (Binding binding : bindings) {
            table.addRow().addContent(binding.id(), binding.role(), who(binding), where(binding),
                    ShellText.time(binding.created()));
        }
        return table;
    }

    /** Returns whom a binding grants its role to, such as {@code user alice} or {@code group ops}. */
    static String who(Binding binding) {
        return binding.user() != null ? "user " + binding.user() : "group " + binding.group();
    }

    /** Returns where a binding applies: {@code instance}, {@code web} alone, or {@code web+members}. */
    static String where(Binding binding) {
        if (binding.system() == null) {
            return "instance";
        }
        return binding.includeMembers() ? binding.system() + "+members" : binding.system();
    }
}
