package io.hanse.kernel.agents.command;

import io.hanse.api.agent.WorkDraft;
import io.hanse.api.agent.WorkItem;
import io.hanse.api.agent.WorkService;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "agent", name = "work-add", description = "Creates a work item for one agent that announces its "
        + "type: leased to exactly one at a time, and offered again if the lease runs out before it is done.")
@Service
@RequiresPermission(value = KernelPermissions.WORK_WRITE, everywhere = true)
public class WorkAddCommand extends SecuredAction {

    @Option(name = "--agent", description = "Only this agent may take it; repeat for more", multiValued = true)
    List<String> agents;

    @Option(name = "--lease-seconds", description = "How long an agent holds it; 300 if not given")
    int leaseSeconds = 300;

    @Option(name = "--max-attempts", description = "How many leases it gets before it fails; 3 if not given")
    int maxAttempts = 3;

    @Argument(index = 0, name = "type", description = "The capability it needs, such as probe.http", required = true)
    String type;

    @Argument(index = 1, name = "parameters", description = "A JSON object for the agent's command, in single "
            + "quotes: '{\"url\": \"https://example.org\"}'")
    String parameters;

    @Reference
    WorkService work;

    @Override
    protected Object execute(Caller caller) {
        WorkItem item = work.create(caller, new WorkDraft(type, parameters,
                agents == null ? null : new HashSet<>(agents), Duration.ofSeconds(leaseSeconds), maxAttempts));
        out().println("Work item " + item.id() + " (" + item.type() + ") is open");
        return null;
    }
}
