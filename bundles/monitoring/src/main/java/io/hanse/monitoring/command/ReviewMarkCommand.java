package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.Review;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

@Command(scope = "monitoring", name = "review-mark", description = "Marks an item of the review in progress:"
        + " looked-at, action-needed, accepted or noise, with an optional note; none for no mark clears a mark, or"
        + " leaves a note without one.")
@Service
@RequiresPermission(MonitoringPermissions.REVIEW)
public class ReviewMarkCommand extends ReviewCommand {

    @Argument(index = 1, name = "system", description = "The item's system", required = true)
    @Completion(SystemSlugCompleter.class)
    String system;

    @Argument(index = 2, name = "check", description = "The item's check", required = true)
    String check;

    @Argument(index = 3, name = "mark", description = "looked-at, action-needed, accepted, noise, or none for no"
            + " mark", required = true)
    @Completion(value = StringsCompleter.class, values = {"looked-at", "action-needed", "accepted", "noise",
        Review.Mark.NONE})
    String mark;

    @Argument(index = 4, name = "note", description = "What the reviewers think or will do")
    String note;

    @Override
    protected Object execute(Caller caller) {
        Review.Item item = reviews.mark(caller, review, system, check, mark, note);
        out().println((item.mark() != null ? "Marked " : item.note() != null ? "Noted without a mark "
                : "Cleared the mark of ") + system + "/" + check + " (" + item.group().label() + ")"
                + (item.mark() == null ? "" : " " + item.mark().label()));
        return null;
    }
}
