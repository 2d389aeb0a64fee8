package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.monitoring.internal.Downtime;
import io.hanse.monitoring.internal.Downtimes;
import io.hanse.monitoring.internal.MonitoringPermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "monitoring", name = "downtime-list", description = "Lists the downtimes that have not ended on"
        + " systems you may see, or those that cover a system or one of its checks, and when each is in a window:"
        + " until when if it is now, else its next window, in its zone (UTC for a one-off one).")
@Service
@RequiresPermission(MonitoringPermissions.READ)
public class DowntimeListCommand extends SecuredAction {

    /** The zone a one-off downtime is shown in, named as a recurrence without a zone names it. */
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Argument(index = 0, name = "system", description = "Only downtimes that cover this system: on it, or on an"
            + " aggregate of it for its members")
    @Completion(SystemSlugCompleter.class)
    String system;

    @Argument(index = 1, name = "check", description = "Only downtimes that cover this check of the system")
    @Completion(CheckNameCompleter.class)
    String check;

    @Reference
    Downtimes downtimes;

    @Override
    protected Object execute(Caller caller) {
        Instant now = Instant.now();
        ShellTable table = new ShellTable().emptyTableText("No downtimes");
        table.column("Id");
        table.column("System");
        table.column("Check");
        table.column("When").maxSize(50);
        table.column("Now").maxSize(60);
        table.column("By");
        table.column("Comment").maxSize(50);
        for (Downtime d : downtimes.list(caller, system, check)) {
            String when = d.recurrence() == null ? ShellText.time(d.starts()) + " to " + ShellText.time(d.ends())
                    : d.recurrence().toString();
            ZoneId zone = d.recurrence() == null ? UTC : d.recurrence().zone();
            String window = d.nextWindow(now).map(next -> next.contains(now) ? "active until "
                    + Shell.minute(next.end(), zone) : "next " + Shell.window(next, zone)).orElse("");
            table.addRow().addContent(d.id(), d.system() + (d.members() ? " and members" : ""),
                    Objects.toString(d.check(), "all"), when, window, d.author(), d.comment());
        }
        table.print(out());
        return null;
    }
}
