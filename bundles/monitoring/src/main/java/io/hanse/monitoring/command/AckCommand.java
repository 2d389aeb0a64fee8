package io.hanse.monitoring.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.api.system.SystemDraft;
import io.hanse.monitoring.internal.CheckState;
import io.hanse.monitoring.internal.Checks;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.monitoring.internal.PeerAcks;
import java.time.Duration;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "ack", description = "Acknowledges a check's problem: you know and are on it."
        + " It ends when the check recovers, or, unless sticky, when its status changes at all. One's own is replaced;"
        + " one acknowledged by someone else is refused: --remove that first. On a remote system, asks the instance"
        + " that owns it, which acknowledges where its grant names monitoring.ack.")
@Service
@RequiresPermission(MonitoringPermissions.ACK)
public class AckCommand extends CheckCommand {

    @Argument(index = 2, name = "comment", description = "What is known or being done: required, but with --remove,"
            + " which takes none")
    String comment;

    @Option(name = "--sticky", description = "Hold through changes of status until the check recovers; not with"
            + " --remove")
    boolean sticky;

    @Option(name = "--expires", description = "End on its own after this long, as an ISO-8601 duration such as PT4H;"
            + " not with --remove")
    String expires;

    @Option(name = "--remove", description = "Remove the check's acknowledgement instead")
    boolean remove;

    @Reference
    Checks checks;

    @Reference
    PeerAcks peerAcks;

    @Override
    protected Object execute(Caller caller) {
        if (remove) {
            if (comment != null || sticky || expires != null) {
                throw new InvalidRequestException("--remove takes no comment, --sticky or --expires: it removes the"
                        + " acknowledgement as it is");
            }
            checks.unacknowledge(caller, system, check);
            out().println("Removed the acknowledgement of " + system + "/" + check);
            return null;
        }
        Duration lasting = Shell.lasting("--expires", expires);
        Instant until = lasting == null ? null : Parameters.plus("--expires", Instant.now(), lasting);
        if (SystemDraft.peer(system).isPresent()) {
            String id = peerAcks.ask(caller, system, check, comment, sticky, until);
            out().println("Asked " + SystemDraft.peer(system).get() + " to acknowledge " + system + "/" + check
                    + " (request " + id + "); it does where its grant names " + PeerAcks.ACTION);
            return null;
        }
        CheckState acked = checks.acknowledge(caller, system, check, comment, sticky, until);
        out().println("Acknowledged " + system + "/" + check + " (" + acked.shown() + ")"
                + (sticky ? ", sticky" : "") + (acked.ack().expires() == null ? ""
                        : ", until " + ShellText.time(acked.ack().expires())));
        return null;
    }
}
