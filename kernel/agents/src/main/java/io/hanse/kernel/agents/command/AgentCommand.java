package io.hanse.kernel.agents.command;

import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.security.AgentIdentities;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** A command about one agent, named by its first argument. */
abstract class AgentCommand extends SecuredAction {

    @Argument(index = 0, name = "agent", description = "The agent's name", required = true)
    String agent;

    @Reference
    AgentIdentities identities;
}
