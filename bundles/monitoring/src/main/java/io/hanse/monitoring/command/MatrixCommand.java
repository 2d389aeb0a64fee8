package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.Views;
import io.hanse.monitoring.rest.MatrixDtos;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "monitoring", name = "matrix", description = "Shows systems by checks: each cell the check's status"
        + " and how long it has had it (a stale check: how long since its last result), with * for soft, then A for"
        + " acknowledged, D for in downtime and F for flapping (critical* AD 3m). With --members, aggregates by"
        + " their members: each cell the worst status of the member's checks and its members', its problems of"
        + " its checks (CRIT 2/5)"
        + " and the age of the oldest problem nobody handles, or H when someone handles them all, then what"
        + " federated peers report of their systems in it (remote critical).")
@Service
@RequiresPermission(MonitoringPermissions.READ)
public class MatrixCommand extends SecuredAction {

    @Option(name = "--aggregate", description = "Only this system and its members")
    @Completion(SystemSlugCompleter.class)
    String aggregate;

    @Option(name = "--selector", description = "Only systems this selector matches, such as env=prod")
    String selector;

    @Option(name = "--members", description = "Aggregates by their members instead of systems by checks")
    boolean members;

    @Option(name = "--json", description = "Prints the JSON that REST answers instead of a table")
    boolean json;

    @Reference
    Views views;

    @Override
    protected Object execute(Caller caller) {
        if (members) {
            show(views.members(caller, aggregate, selector));
        } else {
            show(views.matrix(caller, aggregate, selector));
        }
        return null;
    }

    private void show(Views.Matrix matrix) {
        if (json) {
            out().println(Shell.json(MatrixDtos.MatrixDto.of(matrix, Instant.now())));
            return;
        }
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Views.Row row : matrix.rows()) {
            Map<String, String> cells = new HashMap<>();
            for (Views.Item item : row.checks()) {
                String soft = item.state().hard() || item.state().stale() ? "" : "*";
                String markers = (item.acknowledged() ? "A" : "") + (item.inDowntime() ? "D" : "")
                        + (item.state().flappingNow() ? "F" : "");
                cells.put(item.state().check(), item.state().shown() + soft + (markers.isEmpty() ? "" : " " + markers)
                        + " " + Shell.age(Shell.since(item.state())));
            }
            rows.put(row.system(), cells);
        }
        print("System", "No checks", matrix.columns(), rows);
    }

    private void show(Views.Members matrix) {
        if (json) {
            out().println(Shell.json(MatrixDtos.MembersDto.of(matrix, Instant.now())));
            return;
        }
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Views.Aggregate row : matrix.rows()) {
            Map<String, String> cells = new HashMap<>();
            row.cells().forEach((member, summary) -> cells.put(member, cell(summary)));
            rows.put(row.system(), cells);
        }
        print("Aggregate", "No aggregates", matrix.columns(), rows);
    }

    /**
     * Returns a member's cell, such as {@code CRIT 2/5 3h}: the worst status in four letters at most,
     * the problems of the checks, and the age of the oldest unhandled problem or {@code H} when all are
     * handled, then what federated peers report of the remote systems in it, such as {@code remote critical};
     * {@code -} for neither.
     */
    private static String cell(Views.Summary summary) {
        String remote = summary.remote() == null ? null : "remote " + summary.remote().label();
        if (summary.checks() == 0) {
            return remote == null ? "-" : remote;
        }
        String status = summary.worst().label().toUpperCase(Locale.ROOT);
        String cell = status.substring(0, Math.min(4, status.length())) + " " + summary.problems() + "/"
                + summary.checks();
        if (summary.oldestUnhandled() != null) {
            cell += " " + Shell.age(summary.oldestUnhandled());
        } else if (summary.problems() > 0) {
            cell += " H";
        }
        return remote == null ? cell : cell + ", " + remote;
    }

    /** Prints rows, by their first column, with their cells by the other columns; a missing cell is empty. */
    private void print(String first, String empty, List<String> columns, Map<String, Map<String, String>> rows) {
        ShellTable table = new ShellTable().emptyTableText(empty);
        table.column(first);
        columns.forEach(table::column);
        rows.forEach((row, cells) -> {
            Object[] contents = new Object[columns.size() + 1];
            contents[0] = row;
            for (int i = 0; i < columns.size(); i++) {
                contents[i + 1] = cells.getOrDefault(columns.get(i), "");
            }
            table.addRow().addContent(contents);
        });
        table.print(out());
    }
}
