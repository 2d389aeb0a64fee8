package io.hanse.monitoring.command;

import io.hanse.api.rest.Parameters;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.monitoring.internal.Downtime;
import io.hanse.monitoring.internal.Downtimes;
import io.hanse.monitoring.internal.MonitoringPermissions;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "downtime-remove", description = "Removes a downtime; its checks count as"
        + " problems again at once.")
@Service
@RequiresPermission(MonitoringPermissions.DOWNTIME)
public class DowntimeRemoveCommand extends SecuredAction {

    @Argument(index = 0, name = "id", description = "The downtime's id, from monitoring:downtime-list", required = true)
    String id;

    @Reference
    Downtimes downtimes;

    @Override
    protected Object execute(Caller caller) {
        Downtime removed = downtimes.remove(caller, Parameters.id("id", id));
        out().println("Removed downtime " + removed.id() + " on " + removed.system());
        return null;
    }
}
