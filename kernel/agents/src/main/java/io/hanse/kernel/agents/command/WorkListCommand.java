package io.hanse.kernel.agents.command;

import io.hanse.api.agent.WorkItem;
import io.hanse.api.agent.WorkService;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "agent", name = "work-list", description = "Lists work items, newest first: their type, state, "
        + "the agent holding or last holding each, and how many leases each took.")
@Service
@RequiresPermission(value = KernelPermissions.AGENTS_READ, everywhere = true)
public class WorkListCommand extends SecuredAction {

    @Option(name = "--state", description = "Only items in this state: open, leased, succeeded or failed")
    String state;

    @Option(name = "--limit", description = "At most this many; 50 if not given")
    int limit = 50;

    @Reference
    WorkService work;

    @Override
    protected Object execute(Caller caller) {
        ShellTable table = new ShellTable().emptyTableText("No work items");
        table.column("Id");
        table.column("Type");
        table.column("State");
        table.column("Agent");
        table.column("Leases");
        table.column("Created");
        table.column("Result").maxSize(60);
        for (WorkItem item : work.list(caller, state, limit)) {
            table.addRow().addContent(item.id(), item.type(), item.state(), item.holder(),
                    item.lease() + "/" + item.maxAttempts(), ShellText.time(item.created()),
                    item.result() == null ? "" : ShellText.oneLine(item.result(), 60));
        }
        table.print(out());
        return null;
    }
}
