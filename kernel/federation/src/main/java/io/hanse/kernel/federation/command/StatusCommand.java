package io.hanse.kernel.federation.command;

import io.hanse.kernel.federation.internal.Federation.PeerView;
import org.apache.karaf.shell.support.table.ShellTable;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "status", description = "Shows delivery per peer: messages enqueued and"
        + " acknowledged, the lag between them, what was received, refused frames and messages, unknown message"
        + " types skipped, and resynchronisations.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_READ, everywhere = true)
public class StatusCommand extends SecuredAction {

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        ShellTable table = new ShellTable().emptyTableText("No peers");
        table.column("Peer");
        table.column("Link");
        table.column("Protocol");
        table.column("Enqueued").alignRight();
        table.column("Acknowledged").alignRight();
        table.column("Lag").alignRight();
        table.column("Received").alignRight();
        table.column("Refused").alignRight();
        table.column("Unknown types").alignRight();
        table.column("Resyncs").alignRight();
        for (PeerView peer : federation.peers(caller)) {
            table.addRow().addContent(peer.name(), peer.suspended() ? "suspended" : peer.connected() ? "up" : "down",
                    peer.protocol() == null ? "" : peer.protocol(), peer.enqueued(), peer.acknowledged(), peer.lag(),
                    peer.received(), peer.refused(), peer.unknownTypes(), peer.resyncs());
        }
        table.print(out());
        return null;
    }
}
