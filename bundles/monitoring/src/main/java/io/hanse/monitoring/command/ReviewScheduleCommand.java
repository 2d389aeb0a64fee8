package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.Review;
import io.hanse.monitoring.internal.Reviews;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "review-schedule", description = "Changes when a review is due: so many days"
        + " after its last pass started, or at the first time of --schedule in --zone after it.")
@Service
@RequiresPermission(MonitoringPermissions.REVIEW)
public class ReviewScheduleCommand extends ReviewCommand {

    @Argument(index = 1, name = "every-days", description = "How many days after its last pass it is due (1 to 366);"
            + " none with --schedule")
    Integer everyDays;

    @Option(name = "--schedule", description = Shell.SCHEDULE)
    String schedule;

    @Option(name = "--zone", description = Shell.ZONE)
    String zone;

    @Override
    protected Object execute(Caller caller) {
        Review.View view = reviews.schedule(caller, review, new Reviews.Due(everyDays, schedule, zone,
                new Reviews.Names("every-days", "--schedule", "--zone")));
        out().println("Review " + view.review().name() + " is due " + Shell.schedule(view.review()) + ", next "
                + Shell.due(view.due()));
        return null;
    }
}
