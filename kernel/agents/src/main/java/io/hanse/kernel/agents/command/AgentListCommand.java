package io.hanse.kernel.agents.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.agents.internal.AgentRegistry;
import io.hanse.kernel.agents.internal.AgentRegistry.AgentView;
import java.util.Objects;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "agent", name = "list", description = "Lists the agents that report on systems you may see: "
        + "whether each is alive, lost (silent past its time to live) or disabled, and when it was last heard.")
@Service
@RequiresPermission(KernelPermissions.AGENTS_READ)
public class AgentListCommand extends SecuredAction {

    @Reference
    AgentRegistry registry;

    @Override
    protected Object execute(Caller caller) {
        ShellTable table = new ShellTable().emptyTableText("No agents");
        table.column("Agent");
        table.column("State");
        table.column("Systems").maxSize(40);
        table.column("Version").maxSize(20);
        table.column("Host").maxSize(30);
        table.column("Last seen");
        table.column("Spooled");
        table.column("Dropped");
        for (AgentView agent : registry.agents(caller)) {
            table.addRow().addContent(agent.identity().name(), agent.state(), ShellText.list(agent.identity()
                    .systems()), Objects.toString(agent.reported().version(), ""),
                    Objects.toString(agent.reported().hostname(), ""),
                    ShellText.time(agent.lastSeen()), agent.reported().spoolPending(),
                    agent.reported().spoolDropped());
        }
        table.print(out());
        return null;
    }
}
