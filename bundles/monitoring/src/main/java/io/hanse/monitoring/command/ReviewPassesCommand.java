package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.Review;
import io.hanse.monitoring.rest.ReviewDtos;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "monitoring", name = "review-passes", description = "Lists a review's passes, newest first: when"
        + " each started and closed and by whom, its outcome, and how many of its items are in each group and have"
        + " each mark; monitoring:review-show --pass shows one.")
@Service
@RequiresPermission(MonitoringPermissions.READ)
public class ReviewPassesCommand extends ReviewCommand {

    @Option(name = "--before", description = "Lists the passes before the one with this number")
    Integer before;

    @Option(name = "--limit", description = "How many passes to list at most (1 to 100)")
    int limit = 20;

    @Option(name = "--json", description = "Prints a JSON page of passes, as REST answers, instead of a table")
    boolean json;

    @Override
    protected Object execute(Caller caller) {
        List<Review.PassSummary> passes = reviews.passes(caller, review, before, limit);
        ReviewDtos.PassPageDto page = ReviewDtos.PassPageDto.of(passes, limit);
        if (json) {
            out().println(Shell.json(page));
            return null;
        }
        ShellTable table = new ShellTable().emptyTableText("No passes");
        table.column("Pass");
        table.column("Started");
        table.column("Started by");
        table.column("Closed");
        table.column("Closed by");
        table.column("Groups");
        table.column("Marks");
        table.column("Outcome").maxSize(50);
        for (Review.PassSummary summary : passes) {
            Review.Pass pass = summary.pass();
            Review.Counts counts = summary.counts();
            table.addRow().addContent(pass.number(), ShellText.time(pass.started()), pass.startedBy(),
                    pass.closed() == null ? "in progress" : ShellText.time(pass.closed()),
                    pass.closedBy() == null ? "" : pass.closedBy(), counted(counts.groups()), counted(counts.marks()),
                    pass.outcome() == null ? "" : ShellText.oneLine(pass.outcome(), 50));
        }
        table.print(out());
        if (page.next() != null) {
            out().println("More with --before " + page.next());
        }
        return null;
    }

    /** Counts as {@code new 2, chronic 1}. */
    private static String counted(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(count -> count.getKey() + " " + count.getValue())
                .collect(Collectors.joining(", "));
    }
}
