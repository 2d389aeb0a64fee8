package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.Review;
import io.hanse.monitoring.internal.Reviews;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "review-add", description = "Defines a recurring review of a system and its"
        + " members (--system) or of the systems a selector chooses (--selector), due every --every-days days (7 if"
        + " left out) or at the times of --schedule in --zone.")
@Service
@RequiresPermission(MonitoringPermissions.REVIEW)
public class ReviewAddCommand extends SecuredAction {

    // Not a ReviewCommand: the name is a new one, which no completion of the reviews there are offers.
    @Argument(index = 0, name = "review", description = "The new review's name, such as weekly-customer-x",
            required = true)
    String review;

    @Reference
    Reviews reviews;

    @Option(name = "--system", description = "The system whose members, with it, are in scope")
    @Completion(SystemSlugCompleter.class)
    String system;

    @Option(name = "--selector", description = "The selector that chooses the systems in scope, such as env=prod")
    String selector;

    @Option(name = "--every-days", description = "How many days after its last pass it is due (1 to 366)")
    Integer everyDays;

    @Option(name = "--schedule", description = Shell.SCHEDULE)
    String schedule;

    @Option(name = "--zone", description = Shell.ZONE)
    String zone;

    @Override
    protected Object execute(Caller caller) {
        Reviews.Due due = new Reviews.Due(everyDays, schedule, zone, new Reviews.Names("--every-days", "--schedule",
                "--zone"));
        Review defined = reviews.define(caller, review, system, selector, due);
        out().println("Defined review " + defined.name() + ", due " + Shell.due(defined.due(null)) + " ("
                + Shell.schedule(defined) + ")");
        return null;
    }
}
