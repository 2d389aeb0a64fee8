package io.hanse.monitoring.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.monitoring.internal.Ack;
import io.hanse.monitoring.internal.CheckState;
import io.hanse.monitoring.internal.CheckStatus;
import io.hanse.monitoring.internal.HistoryEntry;
import io.hanse.monitoring.internal.Histories;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.Views;
import java.time.Duration;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "monitoring", name = "history", description = "Shows a check's record (first seen, breaks in the"
        + " last 7 and 30 days, availability) and its history, newest first: always broken, or did that just happen?")
@Service
@RequiresPermission(MonitoringPermissions.READ)
public class HistoryCommand extends CheckCommand {

    @Option(name = "--days", description = "How many days back the history goes, at most 400")
    int days = 30;

    @Option(name = "--limit", description = "The most entries shown, at most 1000")
    int limit = Histories.DEFAULT_LIMIT;

    @Reference
    Histories histories;

    @Reference
    Views views;

    @Override
    protected Object execute(Caller caller) {
        caller.require(permission(), system);
        if (days < 1 || days > Histories.MAX_RANGE.toDays()) {
            throw new InvalidRequestException("--days: between 1 and " + Histories.MAX_RANGE.toDays() + ", not "
                    + days);
        }
        if (limit < 1 || limit > Histories.MAX_LIMIT) {
            throw new InvalidRequestException("--limit: between 1 and " + Histories.MAX_LIMIT + ", not " + limit);
        }
        Histories.Record record = histories.record(system, check);
        out().printf("%s/%s: first seen %s; broke %s in 7 days, %s in 30%s%n", system, check,
                ShellText.time(record.firstSeen()), Shell.count(record.breaks7d(), "once", "times"),
                Shell.count(record.breaks30d(), "once", "times"),
                record.chronic() ? "; CHRONIC: broken most of the last 30 days" : "");
        CheckState state = record.state();
        out().println("Latest result " + ShellText.time(state.lastResult()) + ": " + state.status().label()
                + Shell.run(state) + ": " + Shell.output(state));
        Shell.metrics(state).forEach(out()::println);
        if (state.perfdataError() != null) {
            out().println("Perfdata error: " + ShellText.oneLine(state.perfdataError(), 300));
        }
        Views.Item item = views.item(caller, state);
        if (item.acknowledged()) {
            Ack ack = state.ack();
            out().println("Acknowledged by " + ShellText.oneLine(ack.author(), 100) + " at "
                    + ShellText.time(ack.time()) + (ack.sticky() ? ", sticky" : "")
                    + (ack.expires() == null ? "" : ", until " + ShellText.time(ack.expires())) + ": "
                    + ShellText.oneLine(ack.comment(), 200));
        }
        if (item.inDowntime()) {
            out().println("In downtime" + (item.downtime() == null ? " (of a system it belongs to)" : " "
                    + item.downtime()) + ": monitoring:downtime-list " + system);
        }
        StringBuilder shares = new StringBuilder("Availability over 30 days:");
        for (CheckStatus status : CheckStatus.values()) {
            shares.append(String.format(" %s %.2f%%", status.label(),
                    100 * record.availability30d().shares().getOrDefault(status, 0.0)));
        }
        out().println(shares);
        // Up to now and the time a result may be ahead of it, as REST's history by default.
        Instant to = histories.latest();
        ShellTable table = new ShellTable().emptyTableText("No changes in " + Shell.count(days, "a day", "days"));
        table.column("Time");
        table.column("What");
        table.column("Status");
        table.column("From");
        table.column("Attempt").alignRight();
        table.column("Output").maxSize(70);
        for (HistoryEntry entry : histories.history(system, check, to.minus(Duration.ofDays(days)), to, limit)) {
            String what = entry.kind().label() + (entry.by() == null ? "" : " by " + entry.by());
            table.addRow().addContent(ShellText.time(entry.time()), what, entry.status().label(),
                    entry.from().label(), entry.attempt(), ShellText.oneLine(entry.output(), 70));
        }
        table.print(out());
        return null;
    }
}
