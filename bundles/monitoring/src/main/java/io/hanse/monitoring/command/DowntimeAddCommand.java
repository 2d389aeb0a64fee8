package io.hanse.monitoring.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.monitoring.internal.Downtime;
import io.hanse.monitoring.internal.Downtimes;
import io.hanse.monitoring.internal.MonitoringPermissions;
import java.time.Duration;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "downtime-add", description = "Schedules a downtime: the system's checks (or one"
        + " check) still record but do not count as problems. One-off with --duration or --ends, or recurring with"
        + " --recurrence such as 'weekly sat 02:00-04:00' or 'cron 0 22 * * 1-5 for 8h' in --zone.")
@Service
@RequiresPermission(MonitoringPermissions.DOWNTIME)
public class DowntimeAddCommand extends SecuredAction {

    @Argument(index = 0, name = "system", description = "The system's slug", required = true)
    @Completion(SystemSlugCompleter.class)
    String system;

    @Argument(index = 1, name = "comment", description = "Why", required = true)
    String comment;

    @Option(name = "--check", description = "Only this check")
    String check;

    @Option(name = "--members", description = "Also the system's members, and theirs")
    boolean members;

    @Option(name = "--starts", description = "When it starts, such as 2026-12-06T22:00:00Z; now if left out")
    String starts;

    @Option(name = "--ends", description = "When it ends, such as 2026-12-07T02:00:00Z")
    String ends;

    @Option(name = "--duration", description = "How long a one-off downtime lasts, as an ISO-8601 duration such as PT2H")
    String duration;

    @Option(name = "--recurrence", description = "Recurring windows: 'weekly mon-fri 22:00-06:00' or 'cron MIN HOUR DOM"
            + " MON DOW for 2h'")
    String recurrence;

    @Option(name = "--zone", description = "The recurrence's time zone, such as Europe/Berlin; UTC if left out")
    String zone;

    @Reference
    Downtimes downtimes;

    @Override
    protected Object execute(Caller caller) {
        Instant start = starts == null ? Instant.now() : Parameters.instant("--starts", starts);
        Instant end = ends == null ? null : Parameters.instant("--ends", ends);
        Duration length = Parameters.duration("--duration", duration);
        if (length != null) {
            if (end != null) {
                throw new InvalidRequestException("give --ends or --duration, not both");
            }
            if (recurrence != null && !recurrence.isBlank()) {
                throw new InvalidRequestException("--duration is for a one-off downtime; a recurrence says how long"
                        + " each window lasts, and --ends when the recurrence stops");
            }
            end = Parameters.plus("--duration", start, length);
        }
        if (end == null && (recurrence == null || recurrence.isBlank())) {
            throw new InvalidRequestException("a one-off downtime needs --ends or --duration");
        }
        Downtime added = downtimes.add(caller, new Downtimes.Draft(system, check, members, start, end, recurrence, zone,
                comment));
        out().println("Scheduled downtime " + added.id() + " on " + system + (check == null ? "" : "/" + check)
                + (members ? " and its members" : "") + ": " + (added.recurrence() == null
                        ? ShellText.time(added.starts()) + " to " + ShellText.time(added.ends())
                        : added.recurrence().spec() + " (" + added.recurrence().zone() + ")"));
        return null;
    }
}
