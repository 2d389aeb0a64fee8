package io.hanse.kernel.core.command;

import static io.hanse.api.security.KernelPermissions.INSTANCE_READ;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.instance.Instance;
import io.hanse.api.instance.InstanceService;
import io.hanse.kernel.core.internal.KernelVersion;
import io.hanse.kernel.store.Database;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;

@Command(scope = "hanse", name = "info", description = "Shows this instance: version, name, database and installed"
        + " Hanse features.")
@Service
@RequiresPermission(value = INSTANCE_READ, everywhere = true)
public class InfoCommand extends SecuredAction {

    static final String HANSE_FEATURE_PREFIX = "hanse";

    @Reference
    BundleContext context;

    @Reference(optional = true)
    InstanceService instances;

    @Reference(optional = true)
    Database database;

    @Reference
    FeaturesService features;

    @Override
    protected Object execute(Caller caller) throws Exception {
        ShellTable table = new ShellTable().noHeaders();
        table.column("");
        table.column("");
        table.addRow().addContent("Version", KernelVersion.of(context.getBundle()));
        Instance instance = instances == null ? null : instances.instance();
        table.addRow().addContent("Instance", instance == null ? "(not yet known: is the database up?)"
                : instance.name() + " (" + instance.id() + ")");
        table.addRow().addContent("Database", database == null ? "(no data source)"
                : database.kind() + " " + database.url());
        table.addRow().addContent("Features", Arrays.stream(features.listInstalledFeatures())
                .filter(feature -> feature.getName().startsWith(HANSE_FEATURE_PREFIX) && !feature.isHidden())
                .sorted(Comparator.comparing(Feature::getName))
                .map(feature -> feature.getName() + " " + feature.getVersion())
                .collect(Collectors.joining(", ")));
        table.print(out());
        return null;
    }
}
