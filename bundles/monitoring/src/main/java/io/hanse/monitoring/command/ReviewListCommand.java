package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.Review;
import io.hanse.monitoring.internal.Reviews;
import io.hanse.monitoring.rest.ReviewDtos;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "monitoring", name = "review-list", description = "Lists the reviews: their scope, when each is due,"
        + " which are overdue and which are in progress.")
@Service
@RequiresPermission(MonitoringPermissions.READ)
public class ReviewListCommand extends SecuredAction {

    @Option(name = "--json", description = "Prints a JSON array instead of a table")
    boolean json;

    @Reference
    Reviews reviews;

    @Override
    protected Object execute(Caller caller) {
        List<Review.View> views = reviews.list(caller);
        if (json) {
            out().println(Shell.json(views.stream().map(ReviewDtos.ReviewDto::of).toList()));
            return null;
        }
        Instant now = Instant.now();
        ShellTable table = new ShellTable().emptyTableText("No reviews");
        table.column("Review");
        table.column("Scope").maxSize(40);
        table.column("Schedule").maxSize(40);
        table.column("Last pass");
        table.column("Due");
        table.column("State");
        for (Review.View view : views) {
            Review review = view.review();
            String state = String.join(", ", Stream.of(view.inProgress() ? "in progress" : null,
                    view.overdue(now) ? "OVERDUE" : null).filter(Objects::nonNull).toList());
            table.addRow().addContent(review.name(), review.system() != null ? review.system() + " and members"
                    : review.selector(), Shell.schedule(review),
                    view.last() == null ? "never" : view.last().number() + ", " + ShellText.time(view.last().started()),
                    Shell.due(view.due()), state);
        }
        table.print(out());
        return null;
    }
}
