package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.monitoring.internal.Histories;
import io.hanse.monitoring.internal.Review;
import io.hanse.monitoring.internal.Reviews;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.table.ShellTable;

/** A command about one review, named by its first argument; prints a pass as the others do. */
abstract class ReviewCommand extends SecuredAction {

    @Argument(index = 0, name = "review", description = "The review's name", required = true)
    @Completion(ReviewNameCompleter.class)
    String review;

    @Reference
    Reviews reviews;

    /**
     * Prints a review's latest pass as {@link #print(Caller, Review.PassView)} does, or that it never
     * ran, with when the next is due.
     */
    void print(Caller caller, Review.View view) {
        String due = "due " + Shell.due(view.due()) + " (" + Shell.schedule(view.review()) + ")"
                + (view.overdue(Instant.now()) ? ", OVERDUE" : "");
        if (view.last() == null) {
            out().println("Review " + view.review().name() + " never ran; " + due);
            return;
        }
        print(caller, new Review.PassView(view.last(), view.items()));
        out().println("Next " + due);
    }

    /** Prints a pass of the review: its items grouped, each with its check as it is now and marks. */
    void print(Caller caller, Review.PassView view) {
        Review.Pass pass = view.pass();
        out().println("Review " + review + ", pass " + pass.number() + ", started "
                + ShellText.time(pass.started()) + " by " + pass.startedBy() + (pass.closed() == null ? ", in progress"
                        : ", closed " + ShellText.time(pass.closed()) + " by " + pass.closedBy() + ": "
                                + pass.outcome()));
        ShellTable table = new ShellTable().emptyTableText("No problems in scope");
        table.column("Group");
        table.column("System");
        table.column("Check");
        table.column("Status");
        table.column("Now");
        table.column("First seen");
        table.column("Breaks 7d/30d");
        table.column("Broken 30d");
        table.column("Before").maxSize(40);
        table.column("Mark");
        table.column("Note").maxSize(50);
        Map<Review.Item, Reviews.Now> now = reviews.now(caller, view.items());
        for (Review.Item item : view.items()) {
            Reviews.Now check = now.get(item);
            Histories.Record record = check == null ? null : check.record();
            table.addRow().addContent(item.group().label(), item.system(), item.check(), item.status(),
                    check == null ? "removed" : Shell.status(check.check()),
                    record == null ? "" : ShellText.time(record.firstSeen()),
                    record == null ? "" : record.breaks7d() + "/" + record.breaks30d(),
                    record == null ? "" : String.format("%.0f%%", 100 * record.availability30d().broken()),
                    item.previousMark() == null ? "" : item.previousMark().label()
                            + (item.previousNote() == null ? "" : ": " + ShellText.oneLine(item.previousNote(), 40)),
                    item.mark() == null ? "" : item.mark().label(), Objects.toString(item.note(), ""));
        }
        table.print(out());
    }
}
