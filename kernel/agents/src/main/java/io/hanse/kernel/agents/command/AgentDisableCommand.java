package io.hanse.kernel.agents.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "agent", name = "disable", description = "Disables an agent: its requests are refused at once, "
        + "and it keeps its key for agent:enable.")
@Service
@RequiresPermission(KernelPermissions.AGENTS_MANAGE)
public class AgentDisableCommand extends AgentCommand {

    @Override
    protected Object execute(Caller caller) {
        identities.setDisabled(caller, agent, true);
        out().println("Agent " + agent + " is disabled");
        return null;
    }
}
