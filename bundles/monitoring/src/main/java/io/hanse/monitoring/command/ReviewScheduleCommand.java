package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.Review;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "review-schedule", description = "Changes how often a review is due, in days;"
        + " it is due that long after its last pass started.")
@Service
@RequiresPermission(MonitoringPermissions.REVIEW)
public class ReviewScheduleCommand extends ReviewCommand {

    @Argument(index = 1, name = "every-days", description = "How often it is due, in days (1 to 366)", required = true)
    int everyDays;

    @Override
    protected Object execute(Caller caller) {
        Review.View view = reviews.schedule(caller, review, everyDays);
        System.out.println("Review " + view.review().name() + " is due every " + view.review().everyDays()
                + " days, next " + ShellText.time(view.due()));
        return null;
    }
}
