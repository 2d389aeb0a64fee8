package io.hanse.kernel.federation.command;

import io.hanse.api.shell.ShellText;
import io.hanse.kernel.federation.internal.Federation.GrantView;
import java.util.List;
import org.apache.karaf.shell.support.table.ShellTable;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "grants", description = "Lists the grants given to peers, active ones and"
        + " those revoked or expired.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_READ, everywhere = true)
public class GrantsCommand extends SecuredAction {

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        ShellTable table = new ShellTable().emptyTableText("No grants; federation:grant <peer> <system>");
        table.column("Id");
        table.column("Peer");
        table.column("System");
        table.column("Members");
        table.column("Actions").maxSize(40);
        table.column("Expires");
        table.column("State");
        for (GrantView grant : federation.grants(caller)) {
            table.addRow().addContent(grant.id(), grant.peer(), grant.system(), grant.members() ? "yes" : "no",
                    ShellText.list(List.copyOf(grant.actions())), ShellText.time(grant.expires()),
                    grant.active() ? "active" : grant.revoked() != null ? "revoked" : "expired");
        }
        table.print(out());
        return null;
    }
}
