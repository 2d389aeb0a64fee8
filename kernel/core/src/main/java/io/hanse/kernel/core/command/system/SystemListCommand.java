package io.hanse.kernel.core.command.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.security.Scope;
import io.hanse.api.shell.SecuredAction;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.shell.ShellText;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusService;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemService;
import io.hanse.kernel.core.internal.SystemViews;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeMap;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "system", name = "list", description = "Lists systems with their rolled-up status.")
@Service
@RequiresPermission(SYSTEMS_READ)
public class SystemListCommand extends SecuredAction {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One system as listed. */
    record Row(ManagedSystem system, Status status, int members) {
    }

    @Option(name = "--kind", description = "Only systems of this kind")
    String kind;

    @Option(name = "--selector", description = "Only systems whose labels match, such as 'kind=host,dc=fra1'")
    String selector;

    @Option(name = "--json", description = "Prints a JSON array instead of a table")
    boolean json;

    @Reference
    SystemService systems;

    @Reference
    StatusService status;

    @Override
    protected Object execute(Caller caller) {
        Scope readable = caller.scope(permission());
        List<ManagedSystem> listed = systems.list(kind, selector == null ? null : Selector.parse(selector)).stream()
                .filter(system -> readable.includes(system.slug()))
                .toList();
        List<Row> rows = SystemViews.stillThere(listed, system -> new Row(system, status.rolledUp(system.slug()),
                SystemViews.members(systems, system.slug(), readable).size()));
        if (json) {
            out().println(json(rows));
        } else {
            table(rows).print(out());
        }
        return null;
    }

    static ShellTable table(List<Row> rows) {
        ShellTable table = new ShellTable().emptyTableText("No systems");
        table.column("Slug");
        table.column("Name").maxSize(40);
        table.column("Kind");
        table.column("Status");
        table.column("Labels").maxSize(60);
        table.column("Members").alignRight();
        for (Row row : rows) {
            ManagedSystem system = row.system();
            table.addRow().addContent(system.slug(), system.name(), system.kind(), row.status().label(),
                    ShellText.labels(system.labels()), row.members());
        }
        return table;
    }

    /** Returns the rows as a JSON array of objects with slug, name, kind, labels, status and members. */
    static String json(List<Row> rows) {
        ArrayNode array = JSON.createArrayNode();
        for (Row row : rows) {
            ManagedSystem system = row.system();
            ObjectNode object = array.addObject()
                    .put("slug", system.slug())
                    .put("name", system.name())
                    .put("kind", system.kind());
            ObjectNode labels = object.putObject("labels");
            new TreeMap<>(system.labels()).forEach(labels::put);
            object.put("status", row.status().label())
                    .put("members", row.members());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
