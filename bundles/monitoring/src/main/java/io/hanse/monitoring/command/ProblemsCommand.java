package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.Views;
import io.hanse.monitoring.rest.CheckDto;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "monitoring", name = "problems", description = "Lists the checks that are failing or stale, worst"
        + " first, with whether someone acknowledged them or they are in downtime, and since when they have had their"
        + " status (a stale check: how long since its last result); then the remote systems whose peers report a"
        + " problem, or that have had no link for a while (not with --json, which lists checks only).")
@Service
@RequiresPermission(MonitoringPermissions.READ)
public class ProblemsCommand extends SecuredAction {

    @Option(name = "--aggregate", description = "Only this system and its members")
    @Completion(SystemSlugCompleter.class)
    String aggregate;

    @Option(name = "--selector", description = "Only systems this selector matches, such as env=prod")
    String selector;

    @Option(name = "--unhandled", description = "Leave out acknowledged problems and those in downtime")
    boolean unhandled;

    @Option(name = "--json", description = "Prints a JSON array instead of a table")
    boolean json;

    @Reference
    Views views;

    @Override
    protected Object execute(Caller caller) {
        List<Views.Item> problems = views.problems(caller, aggregate, selector, unhandled);
        if (json) {
            out().println(Shell.json(problems.stream().map(CheckDto::of).toList()));
            return null;
        }
        List<Views.RemoteProblem> remote = views.remoteProblems(caller, aggregate, selector);
        ShellTable table = new ShellTable()
                .emptyTableText(remote.isEmpty() ? "No problems" : "No checks with problems");
        table.column("System");
        table.column("Check");
        table.column("Status");
        table.column("Since");
        table.column("Output").maxSize(80);
        for (Views.Item item : problems) {
            table.addRow().addContent(item.state().system(), item.state().check(), Shell.status(item),
                    Shell.age(Shell.since(item.state())), Shell.output(item.state()));
        }
        table.print(out());
        if (!remote.isEmpty()) {
            out().println();
            out().println("Remote systems, whose checks are watched on their peers:");
            ShellTable remoteTable = new ShellTable();
            remoteTable.column("System");
            remoteTable.column("Status");
            remoteTable.column("Since");
            remoteTable.column("Summary").maxSize(80);
            for (Views.RemoteProblem problem : remote) {
                remoteTable.addRow().addContent(problem.system(), problem.status().label(), Shell.age(problem.since()),
                        ShellText.oneLine(problem.summary(), 80));
            }
            remoteTable.print(out());
        }
        return null;
    }
}
