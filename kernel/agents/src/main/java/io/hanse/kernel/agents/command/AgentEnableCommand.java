package io.hanse.kernel.agents.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "agent", name = "enable", description = "Enables a disabled agent again.")
@Service
@RequiresPermission(KernelPermissions.AGENTS_MANAGE)
public class AgentEnableCommand extends AgentCommand {

    @Override
    protected Object execute(Caller caller) {
        identities.setDisabled(caller, agent, false);
        out().println("Agent " + agent + " is enabled");
        return null;
    }
}
