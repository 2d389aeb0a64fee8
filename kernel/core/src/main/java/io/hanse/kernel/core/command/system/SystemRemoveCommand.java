package io.hanse.kernel.core.command.system;

import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemService;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "system", name = "remove", description = "Deletes a system; the aggregates that have "
        + "it as a member lose it.")
@Service
public class SystemRemoveCommand implements Action {

    @Argument(index = 0, name = "slug", description = "The system", required = true)
    @Completion(SystemSlugCompleter.class)
    String slug;

    @Reference
    SystemService systems;

    @Reference
    SystemAdminService admin;

    @Override
    public Object execute() {
        // Asked before deleting: afterwards the system, and with it its aggregates, are gone.
        List<ManagedSystem> aggregates = systems.aggregates(slug);
        admin.delete(slug);
        System.out.println("Removed system " + slug);
        if (!aggregates.isEmpty()) {
            System.out.println("It is no longer a member of "
                    + aggregates.stream().map(ManagedSystem::slug).collect(Collectors.joining(", ")));
        }
        return null;
    }
}
