package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.monitoring.internal.Checks;
import io.hanse.monitoring.internal.MonitoringPermissions;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "check-remove", description = "Forgets a check that is gone for good, with its"
        + " history; its events stay on the timeline. A later result makes it anew.")
@Service
@RequiresPermission(MonitoringPermissions.CONFIGURE)
public class CheckRemoveCommand extends SecuredAction {

    @Argument(index = 0, name = "system", description = "The system's slug", required = true)
    @Completion(SystemSlugCompleter.class)
    String system;

    @Argument(index = 1, name = "check", description = "The check's name", required = true)
    @Completion(CheckNameCompleter.class)
    String check;

    @Reference
    Checks checks;

    @Override
    protected Object execute(Caller caller) {
        checks.remove(caller, system, check);
        System.out.println("Removed check " + check + " of " + system);
        return null;
    }
}
