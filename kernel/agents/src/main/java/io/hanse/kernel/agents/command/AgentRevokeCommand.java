package io.hanse.kernel.agents.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "agent", name = "revoke", description = "Revokes an agent: deletes it and its key, so its "
        + "requests are refused at once. To come back it must enroll with a new token.")
@Service
@RequiresPermission(KernelPermissions.AGENTS_MANAGE)
public class AgentRevokeCommand extends AgentCommand {

    @Override
    protected Object execute(Caller caller) {
        identities.revoke(caller, agent);
        out().println("Agent " + agent + " is revoked");
        return null;
    }
}
