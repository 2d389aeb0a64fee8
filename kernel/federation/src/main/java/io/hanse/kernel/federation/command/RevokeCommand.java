package io.hanse.kernel.federation.command;

import io.hanse.api.rest.Parameters;
import io.hanse.kernel.federation.internal.Federation.GrantView;
import org.apache.karaf.shell.api.action.Argument;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "revoke", description = "Revokes a grant: a connected peer loses the systems"
        + " within seconds, and nothing more about them is sent.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_MANAGE, everywhere = true)
public class RevokeCommand extends SecuredAction {

    @Argument(index = 0, name = "grant", description = "The grant's id, from federation:grants", required = true)
    String grant;

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        GrantView revoked = federation.revoke(caller, Parameters.id("grant", grant));
        out().println("Revoked the grant of " + revoked.system() + " to " + revoked.peer());
        return null;
    }
}
