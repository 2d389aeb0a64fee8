package io.hanse.kernel.federation.command;

import org.apache.karaf.shell.api.action.Argument;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "peer-remove", description = "Removes a peer: its pinned key, the grants"
        + " given to it and its outbox, its remote systems here, and the link.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_MANAGE, everywhere = true)
public class PeerRemoveCommand extends SecuredAction {

    @Argument(index = 0, name = "peer", description = "The peer's instance name", required = true)
    String peer;

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        federation.remove(caller, peer);
        out().println("Removed peer " + peer);
        return null;
    }
}
