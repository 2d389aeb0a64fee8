package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.monitoring.internal.MonitoringPermissions;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "review-show", description = "Shows a review's latest pass, in progress or"
        + " closed: its items grouped, each with its check's record, what the passes before made of it and its mark.")
@Service
@RequiresPermission(MonitoringPermissions.READ)
public class ReviewShowCommand extends ReviewCommand {

    @Override
    protected Object execute(Caller caller) {
        print(caller, reviews.show(caller, review));
        return null;
    }
}
