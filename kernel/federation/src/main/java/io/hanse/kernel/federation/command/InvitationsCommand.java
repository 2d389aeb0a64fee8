package io.hanse.kernel.federation.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.federation.internal.Federation;
import io.hanse.kernel.federation.internal.Federation.InvitationView;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "federation", name = "invitations", description = "Lists the invitations that can still be used,"
        + " neither used nor expired: who made them, until when they are valid and who will dial. Their secrets are"
        + " not kept here; federation:invite-cancel <id> cancels one.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_MANAGE, everywhere = true)
public class InvitationsCommand extends SecuredAction {

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        ShellTable table = new ShellTable().emptyTableText("No invitations that can be used; federation:invite");
        table.column("Id");
        table.column("Created by");
        table.column("Created");
        table.column("Expires");
        table.column("Dials");
        for (InvitationView invitation : federation.invitations(caller)) {
            table.addRow().addContent(invitation.id(), invitation.createdBy(), ShellText.time(invitation.created()),
                    ShellText.time(invitation.expires()), invitation.dialOut() ? "we dial" : "it dials");
        }
        table.print(out());
        return null;
    }
}
