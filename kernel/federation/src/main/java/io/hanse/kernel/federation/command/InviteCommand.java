package io.hanse.kernel.federation.command;

import io.hanse.api.rest.Parameters;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.federation.internal.Federation.IssuedInvitation;
import org.apache.karaf.shell.api.action.Option;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "invite", description = "Creates a one-time invitation for another instance"
        + " to peer with this one, and prints it once. On the other instance: federation:join <invitation>. Both then"
        + " pin each other's key; by default the other instance dials this one.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_MANAGE, everywhere = true)
public class InviteCommand extends SecuredAction {

    @Option(name = "--dial-out", description = "This instance dials the one that joins (which then must be"
            + " reachable at its configured URL), for when this one sits in the more protected network")
    boolean dialOut;

    @Option(name = "--valid-for", description = "How long the invitation can be used, as an ISO-8601 duration such"
            + " as PT1H; at most 7 days. Default: from etc/io.hanse.federation.cfg (24 hours)")
    String validFor;

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        IssuedInvitation issued = federation.invite(caller, dialOut, Parameters.duration("--valid-for", validFor));
        String nl = System.lineSeparator();
        out().println("Invitation, valid until " + ShellText.time(issued.expires()) + nl + nl + "    "
                + issued.invitation() + nl + nl + "On the other instance: federation:join <invitation>" + nl
                + "It holds a secret: hand it over as you would a password. It is not shown again.");
        return null;
    }
}
