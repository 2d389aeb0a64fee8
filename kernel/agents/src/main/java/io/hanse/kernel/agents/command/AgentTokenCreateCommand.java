package io.hanse.kernel.agents.command;

import io.hanse.api.rest.Parameters;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.kernel.security.AgentIdentities;
import io.hanse.kernel.security.AgentIdentities.IssuedEnrollment;
import java.time.Duration;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "agent", name = "token-create", description = "Creates a one-time token an agent enrolls with, "
        + "under this name, to report on these systems; prints it once. The agent redeems it with "
        + "'hanse-agent enroll'; it then holds its own key and the token is spent.")
@Service
@RequiresPermission(KernelPermissions.AGENTS_ENROLL)
public class AgentTokenCreateCommand extends SecuredAction {

    @Option(name = "--valid-for", description = "How long the token can be redeemed, as an ISO-8601 duration such"
            + " as PT1H (the default) or P1D; at most 7 days")
    String validFor;

    @Argument(index = 0, name = "agent", description = "The agent's name, such as the host's", required = true)
    String agent;

    @Argument(index = 1, name = "systems", description = "The systems the agent may report on", required = true,
            multiValued = true)
    @Completion(SystemSlugCompleter.class)
    List<String> systems;

    @Reference
    AgentIdentities identities;

    @Override
    protected Object execute(Caller caller) {
        Duration lifetime = Parameters.duration("--valid-for", validFor);
        IssuedEnrollment issued = identities.createEnrollment(caller, agent, systems,
                lifetime == null ? Duration.ofHours(1) : lifetime);
        String nl = System.lineSeparator();
        out().println("Enrollment token for agent " + agent + " on " + ShellText.list(issued.enrollment()
                .systems()) + "; valid until " + ShellText.time(issued.enrollment().expires()) + nl + nl
                + "    " + issued.token() + nl + nl
                + "On the host: echo '<token>' | hanse-agent enroll --token -" + nl
                + "Copy the token now: it is not stored and will not be shown again.");
        return null;
    }
}
