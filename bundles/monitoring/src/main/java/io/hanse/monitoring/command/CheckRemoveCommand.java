package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.monitoring.internal.Checks;
import io.hanse.monitoring.internal.MonitoringPermissions;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "check-remove", description = "Forgets a check that is gone for good, with its"
        + " history; its events stay on the timeline. A later result makes it anew.")
@Service
@RequiresPermission(MonitoringPermissions.CONFIGURE)
public class CheckRemoveCommand extends CheckCommand {

    @Reference
    Checks checks;

    @Override
    protected Object execute(Caller caller) {
        checks.remove(caller, system, check);
        out().println("Removed check " + check + " of " + system);
        return null;
    }
}
