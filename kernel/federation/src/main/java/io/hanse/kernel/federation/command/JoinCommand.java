package io.hanse.kernel.federation.command;

import io.hanse.kernel.federation.internal.Federation.PeerView;
import org.apache.karaf.shell.api.action.Argument;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "join", description = "Joins the instance that issued an invitation: checks"
        + " its key against the fingerprint in the invitation, and both pin each other's key.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_MANAGE, everywhere = true)
public class JoinCommand extends SecuredAction {

    @Argument(index = 0, name = "invitation", description = "The invitation, hanse-invitation:…", required = true,
            censor = true)
    String invitation;

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        PeerView peer = federation.join(caller, invitation);
        out().println("Peered with " + peer.name() + " (" + peer.fingerprint() + "); "
                + (peer.dialOut() ? "this instance dials " + peer.url() : peer.name() + " dials this instance"));
        return null;
    }
}
