package io.hanse.kernel.federation.command;

import io.hanse.api.shell.ShellText;
import io.hanse.kernel.federation.internal.Federation.PeerView;
import java.util.Objects;
import org.apache.karaf.shell.support.table.ShellTable;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "peers", description = "Lists the peers: their pinned key, who dials, whether"
        + " they are connected or suspended, and the last problem with the link.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_READ, everywhere = true)
public class PeersCommand extends SecuredAction {

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        ShellTable table = new ShellTable().emptyTableText("No peers; federation:invite or federation:join");
        table.column("Peer");
        table.column("Fingerprint").maxSize(30);
        table.column("Dials");
        table.column("URL").maxSize(40);
        table.column("Link");
        table.column("Since");
        table.column("Last problem").maxSize(60);
        for (PeerView peer : federation.peers(caller)) {
            table.addRow().addContent(peer.name(), peer.fingerprint(), peer.dialOut() ? "we dial" : "it dials",
                    Objects.toString(peer.url(), ""), peer.suspended() ? "suspended" : peer.connected() ? "up" : "down",
                    ShellText.time(peer.connectedSince()), Objects.toString(peer.lastProblem(), ""));
        }
        table.print(out());
        return null;
    }
}
