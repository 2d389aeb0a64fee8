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
import io.hanse.monitoring.internal.Recurrence;
import io.hanse.monitoring.internal.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.stream.Stream;
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

    @Option(name = "--starts", description = "When it starts, such as 2026-12-06T22:00:00Z, or 2026-12-06T22:00 in"
            + " --zone; now if left out")
    String starts;

    @Option(name = "--ends", description = "When it ends, such as 2026-12-07T02:00:00Z, or 2026-12-07T03:00 in"
            + " --zone")
    String ends;

    @Option(name = "--duration", description = "How long a one-off downtime lasts, as an ISO-8601 duration such as"
            + " PT2H")
    String duration;

    @Option(name = "--recurrence", description = "Recurring windows: 'weekly mon-fri 22:00-06:00' or 'cron MIN HOUR DOM"
            + " MON DOW for 2h'")
    String recurrence;

    @Option(name = "--zone", description = "The time zone of the recurrence and of local times given to --starts"
            + " and --ends, such as Europe/Berlin; UTC if left out. A one-off downtime has no zone: with neither a"
            + " recurrence nor a local time, it is refused")
    String zone;

    @Reference
    Downtimes downtimes;

    @Override
    protected Object execute(Caller caller) {
        boolean recurring = recurrence != null && !recurrence.isBlank();
        ZoneId in = Schedule.zone("--zone", zone);
        if (zone != null && !zone.isBlank() && !recurring && Stream.of(starts, ends)
                .allMatch(time -> Shell.local(time).isEmpty())) {
            // As REST refuses a zone without a recurrence; here it may also read a local --starts or --ends.
            throw new InvalidRequestException("--zone is the time zone of a recurrence or of a local --starts or"
                    + " --ends; a one-off downtime given neither has none");
        }
        if (recurring) {
            // Read here too, so that a refusal names the option; the downtime reads it as REST's field.
            Recurrence.parse("--recurrence", recurrence, in);
        }
        Instant start = starts == null ? Instant.now() : Shell.time("--starts", starts, in);
        Instant end = ends == null ? null : Shell.time("--ends", ends, in);
        Duration length = Shell.lasting("--duration", duration);
        if (length != null) {
            if (end != null) {
                throw new InvalidRequestException("give --ends or --duration, not both");
            }
            if (recurring) {
                throw new InvalidRequestException("--duration is for a one-off downtime; a recurrence says how long"
                        + " each window lasts, and --ends when the recurrence stops");
            }
            end = Parameters.plus("--duration", start, length);
        }
        if (end == null && !recurring) {
            throw new InvalidRequestException("a one-off downtime needs --ends or --duration");
        }
        // A one-off downtime's zone only says how to read its local times.
        Downtime added = downtimes.add(caller, new Downtimes.Draft(system, check, members, start, end, recurrence,
                recurring ? zone : null, comment));
        out().println("Scheduled downtime " + added.id() + " on " + system + (check == null ? "" : "/" + check)
                + (members ? " and its members" : "") + ": " + (added.recurrence() == null
                        ? ShellText.time(added.starts()) + " to " + ShellText.time(added.ends())
                        : added.recurrence().spec() + " (" + added.recurrence().zone() + ")"));
        return null;
    }
}
