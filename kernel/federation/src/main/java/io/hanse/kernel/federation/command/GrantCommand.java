package io.hanse.kernel.federation.command;

import io.hanse.api.rest.Parameters;
import io.hanse.api.shell.ShellText;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.kernel.federation.internal.Federation.GrantView;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "grant", description = "Grants a peer read access to one of this instance's"
        + " systems and, unless --no-members, everything it aggregates: the peer then sees them as remote systems"
        + " with their status and timeline.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_MANAGE, everywhere = true)
public class GrantCommand extends SecuredAction {

    @Argument(index = 0, name = "peer", description = "The peer's instance name", required = true)
    String peer;

    @Argument(index = 1, name = "system", description = "The system to share", required = true)
    @Completion(SystemSlugCompleter.class)
    String system;

    @Option(name = "--no-members", description = "Only the system itself, not its members")
    boolean noMembers;

    @Option(name = "--action", description = "A named action the peer may ask for, such as monitoring.ack",
            multiValued = true)
    List<String> actions;

    @Option(name = "--expires", description = "When the grant ends by itself, ISO-8601 such as 2027-01-01T00:00:00Z")
    String expires;

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        GrantView grant = federation.grant(caller, peer, system, !noMembers,
                actions == null ? Set.of() : Set.copyOf(actions), Parameters.instant("--expires", expires));
        out().println("Granted " + grant.system() + (grant.members() ? " and its members" : "") + " to "
                + grant.peer() + (grant.expires() == null ? "" : " until " + ShellText.time(grant.expires()))
                + "; grant " + grant.id());
        return null;
    }
}
