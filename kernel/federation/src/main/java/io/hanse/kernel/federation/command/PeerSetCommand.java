package io.hanse.kernel.federation.command;

import io.hanse.kernel.federation.internal.Federation.PeerView;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Option;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.federation.internal.Federation;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "federation", name = "peer-set", description = "Changes a peer's link: suspends or resumes it"
        + " (while suspended, what it is granted waits in its outbox), or changes which side dials.")
@Service
@RequiresPermission(value = KernelPermissions.FEDERATION_MANAGE, everywhere = true)
public class PeerSetCommand extends SecuredAction {

    @Argument(index = 0, name = "peer", description = "The peer's instance name", required = true)
    String peer;

    @Option(name = "--suspend", description = "Suspend the link")
    boolean suspend;

    @Option(name = "--resume", description = "Resume the link")
    boolean resume;

    @Option(name = "--dial", description = "Who dials: 'out' (this instance, to --url or the known URL) or 'in'")
    String dial;

    @Option(name = "--url", description = "The peer's base URL, to dial out to")
    String url;

    @Reference
    Federation federation;

    @Override
    protected Object execute(Caller caller) {
        if (suspend && resume) {
            throw new io.hanse.api.InvalidRequestException("--suspend or --resume, not both");
        }
        if (dial != null && !dial.equals("out") && !dial.equals("in")) {
            throw new io.hanse.api.InvalidRequestException("--dial is 'out' or 'in', not '" + dial + "'");
        }
        if (url != null && dial == null) {
            throw new io.hanse.api.InvalidRequestException("--url goes with --dial: --dial out --url " + url
                    + " to dial the peer there");
        }
        PeerView view = null;
        if (suspend || resume) {
            view = federation.suspend(caller, peer, suspend);
        }
        if (dial != null) {
            view = federation.dial(caller, peer, dial.equals("out"), url);
        }
        if (view == null) {
            throw new io.hanse.api.InvalidRequestException("say what to change: --suspend, --resume or"
                    + " --dial (out, with --url to dial a new URL, or in)");
        }
        out().println(view.name() + ": " + (view.suspended() ? "suspended" : "active") + ", "
                + (view.dialOut() ? "this instance dials " + view.url() : view.name() + " dials this instance"));
        return null;
    }
}
