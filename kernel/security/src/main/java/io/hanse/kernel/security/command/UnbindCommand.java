package io.hanse.kernel.security.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.security.internal.SecurityManager.Binding;
import java.util.UUID;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "unbind", description = "Removes a role binding; security:bindings lists "
        + "them with their ids.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class UnbindCommand extends SecurityCommand {

    @Argument(index = 0, name = "id", description = "The binding's id", required = true)
    @Completion(BindingIdCompleter.class)
    String id;

    @Override
    protected Object execute(Caller caller) {
        UUID binding = uuid(id, "binding");
        Binding before = security.bindings().stream().filter(b -> b.id().equals(binding)).findFirst()
                .orElseThrow(() -> new NotFoundException("no binding " + binding));
        security.unbind(binding, caller);
        out().println("Removed the binding of " + BindCommand.describe(before));
        return null;
    }

    /**
     * Parses an id.
     *
     * @throws InvalidRequestException if the text is not a UUID
     */
    static UUID uuid(String text, String what) {
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("'" + text + "' is not a " + what + " id; ids look like "
                    + "3f2c1e4a-9b7d-4c2e-8f1a-0d6b5e4c3a21");
        }
    }
}
