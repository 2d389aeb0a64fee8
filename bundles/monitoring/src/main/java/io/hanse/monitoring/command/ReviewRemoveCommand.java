package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.monitoring.internal.MonitoringPermissions;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "review-remove", description = "Removes a review with its passes, when none is"
        + " in progress; their events stay on the timeline.")
@Service
@RequiresPermission(MonitoringPermissions.REVIEW)
public class ReviewRemoveCommand extends ReviewCommand {

    @Override
    protected Object execute(Caller caller) {
        reviews.remove(caller, review);
        out().println("Removed review " + review);
        return null;
    }
}
