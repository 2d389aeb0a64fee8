package io.hanse.kernel.agents.command;

import io.hanse.api.agent.Desire;
import io.hanse.api.agent.DesireService;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.api.shell.SystemSlugCompleter;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "agent", name = "desire", description = "Asks the agents that report on a system for fresh "
        + "results: to run a check they already have again now (refresh-check), or to collect the host's facts "
        + "(refresh-facts). Agents decide; nothing they do not already run is ever run.")
@Service
@RequiresPermission(KernelPermissions.AGENTS_DESIRE)
public class AgentDesireCommand extends SecuredAction {

    @Option(name = "--agent", description = "Asks only this agent")
    String agent;

    @Argument(index = 0, name = "system", description = "The system the results are about", required = true)
    @Completion(SystemSlugCompleter.class)
    String system;

    @Argument(index = 1, name = "kind", description = "refresh-check or refresh-facts", required = true)
    String kind;

    @Argument(index = 2, name = "check", description = "For refresh-check: the check's name")
    String check;

    @Reference
    DesireService desires;

    @Override
    protected Object execute(Caller caller) {
        List<String> agents = desires.publish(caller, new Desire(kind, system, check, agent));
        out().println("Asked " + ShellText.list(agents) + "; each acts on it when it next asks, if it can");
        return null;
    }
}
