package io.hanse.kernel.federation.command;

import io.hanse.kernel.federation.internal.Federation.Identity;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "identity", description = "Shows who this instance is to its peers: its"
        + " name, its public key and that key's fingerprint, and the URL its invitations send peers to.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_READ, everywhere = true)
public class IdentityCommand extends SecuredAction {

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        Identity identity = federation.identity(caller);
        out().println("Instance     " + identity.name());
        out().println("Fingerprint  " + identity.fingerprint());
        out().println("Public key   " + identity.publicKey());
        out().println("URL          " + identity.url());
        return null;
    }
}
