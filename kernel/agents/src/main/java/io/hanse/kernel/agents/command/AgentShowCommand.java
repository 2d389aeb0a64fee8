package io.hanse.kernel.agents.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.agents.internal.AgentRegistry;
import io.hanse.kernel.agents.internal.AgentRegistry.AgentView;
import io.hanse.kernel.store.StoredAgent;
import java.time.Instant;
import java.util.Objects;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "agent", name = "show", description = "Shows an agent: its key, systems and state, and what it "
        + "last said about itself (version, host, boot, capabilities, checks, spool).")
@Service
@RequiresPermission(KernelPermissions.AGENTS_READ)
public class AgentShowCommand extends SecuredAction {

    @Argument(index = 0, name = "agent", description = "The agent's name", required = true)
    String agent;

    @Reference
    AgentRegistry registry;

    @Override
    protected Object execute(Caller caller) {
        AgentView view = registry.agent(caller, agent);
        StoredAgent said = view.reported();
        ShellTable table = new ShellTable().noHeaders();
        table.column("");
        table.column("").maxSize(100).wrap();
        table.addRow().addContent("Agent", view.identity().name());
        table.addRow().addContent("State", view.state());
        table.addRow().addContent("Systems", ShellText.list(view.identity().systems()));
        table.addRow().addContent("Key", view.identity().fingerprint());
        table.addRow().addContent("Enrolled", ShellText.time(view.identity().created()));
        table.addRow().addContent("Last seen", ShellText.time(view.lastSeen()));
        table.addRow().addContent("Version", Objects.toString(said.version(), ""));
        table.addRow().addContent("Host", Objects.toString(said.hostname(), ""));
        table.addRow().addContent("Started", said.bootEpoch() == 0 ? "" : ShellText.time(
                Instant.ofEpochMilli(said.bootEpoch())));
        table.addRow().addContent("Capabilities", ShellText.list(said.capabilities()));
        table.addRow().addContent("Checks", said.checks());
        table.addRow().addContent("Spool", said.spoolPending() + " waiting, " + said.spoolDropped() + " dropped");
        table.print(out());
        return null;
    }
}
