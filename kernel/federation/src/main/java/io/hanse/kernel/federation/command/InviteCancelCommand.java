package io.hanse.kernel.federation.command;

import io.hanse.api.rest.Parameters;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "invite-cancel", description = "Cancels an invitation that can still be used:"
        + " a join with it is refused from then on, as one with an unknown invitation.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_MANAGE, everywhere = true)
public class InviteCancelCommand extends SecuredAction {

    @Argument(index = 0, name = "invitation", description = "The invitation's id, from federation:invitations",
            required = true)
    String invitation;

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        federation.cancelInvitation(caller, Parameters.id("invitation", invitation));
        out().println("Cancelled invitation " + invitation);
        return null;
    }
}
