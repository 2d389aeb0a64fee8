package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.monitoring.internal.MonitoringPermissions;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "review-close", description = "Closes the review in progress with its outcome;"
        + " the next pass starts from it.")
@Service
@RequiresPermission(MonitoringPermissions.REVIEW)
public class ReviewCloseCommand extends ReviewCommand {

    @Argument(index = 1, name = "outcome", description = "What the review concluded", required = true)
    String outcome;

    @Override
    protected Object execute(Caller caller) {
        print(caller, reviews.close(caller, review, outcome));
        return null;
    }
}
