package io.hanse.kernel.core.command.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemService;
import io.hanse.kernel.core.internal.SystemViews;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "system", name = "remove", description = "Deletes a system; the aggregates that have "
        + "it as a member lose it.")
@Service
@RequiresPermission(SYSTEMS_WRITE)
public class SystemRemoveCommand extends SecuredAction {

    @Argument(index = 0, name = "slug", description = "The system", required = true)
    @Completion(SystemSlugCompleter.class)
    String slug;

    @Reference
    SystemService systems;

    @Reference
    SystemAdminService admin;

    @Override
    protected Object execute(Caller caller) {
        // Asked before deleting: afterwards the system, and with it its aggregates, are gone.
        caller.require(permission(), slug);
        List<ManagedSystem> aggregates = SystemViews.aggregates(systems, slug, caller.scope(SYSTEMS_READ));
        admin.delete(slug, caller);
        out().println("Removed system " + slug);
        if (!aggregates.isEmpty()) {
            out().println("It is no longer a member of "
                    + aggregates.stream().map(ManagedSystem::slug).collect(Collectors.joining(", ")));
        }
        return null;
    }
}
