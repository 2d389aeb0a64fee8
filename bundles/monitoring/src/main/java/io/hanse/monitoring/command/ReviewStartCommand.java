package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.monitoring.internal.MonitoringPermissions;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "review-start", description = "Starts a pass of a review: every problem in"
        + " scope, grouped as new since the last pass, still open, flapping, chronic or resolved, with its history.")
@Service
@RequiresPermission(MonitoringPermissions.REVIEW)
public class ReviewStartCommand extends ReviewCommand {

    @Override
    protected Object execute(Caller caller) {
        print(caller, reviews.start(caller, review));
        return null;
    }
}
