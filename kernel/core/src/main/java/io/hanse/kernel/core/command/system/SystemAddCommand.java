package io.hanse.kernel.core.command.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Rules;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemDraft;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "system", name = "add", description = "Creates a system.")
@Service
@RequiresPermission(value = SYSTEMS_WRITE, everywhere = true)
public class SystemAddCommand extends SystemDraftCommand {

    @Argument(index = 0, name = "slug", description = "The new system's short name: lower-case letters, digits "
            + "and dashes, such as storage-fra1", required = true)
    String slug;

    @Reference
    SystemAdminService admin;

    @Override
    protected Object execute(Caller caller) {
        ManagedSystem created = admin.create(draft(), caller);
        out().println("Created system " + created.slug());
        return null;
    }

    SystemDraft draft() {
        return applyOptions(SystemDraft.builder(slug), Map.of(), Rules.NONE, UnaryOperator.identity()).build();
    }
}
