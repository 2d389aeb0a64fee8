package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.Views;
import java.util.HashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "monitoring", name = "matrix", description = "Shows systems by checks: each cell the check's status"
        + " and age, with * for soft, A for acknowledged, D for in downtime and F for flapping.")
@Service
@RequiresPermission(MonitoringPermissions.READ)
public class MatrixCommand extends SecuredAction {

    @Option(name = "--aggregate", description = "Only this system and its members")
    @Completion(SystemSlugCompleter.class)
    String aggregate;

    @Option(name = "--selector", description = "Only systems this selector matches, such as env=prod")
    String selector;

    @Reference
    Views views;

    @Override
    protected Object execute(Caller caller) {
        Views.Matrix matrix = views.matrix(caller, aggregate, selector);
        ShellTable table = new ShellTable().emptyTableText("No checks");
        table.column("System");
        matrix.columns().forEach(table::column);
        for (Views.Row row : matrix.rows()) {
            Map<String, String> cells = new HashMap<>();
            for (Views.Item item : row.checks()) {
                String markers = (item.state().hard() || item.state().stale() ? "" : "*")
                        + (item.acknowledged() ? "A" : "") + (item.inDowntime() ? "D" : "")
                        + (item.state().flapping().flapping() ? "F" : "");
                cells.put(item.state().check(), item.state().shown() + markers + " "
                        + Shell.age(item.state().lastChange()));
            }
            Object[] contents = new Object[matrix.columns().size() + 1];
            contents[0] = row.system();
            for (int i = 0; i < matrix.columns().size(); i++) {
                contents[i + 1] = cells.getOrDefault(matrix.columns().get(i), "");
            }
            table.addRow().addContent(contents);
        }
        table.print(System.out);
        return null;
    }
}
