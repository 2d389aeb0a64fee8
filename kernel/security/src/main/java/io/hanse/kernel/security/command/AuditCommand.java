package io.hanse.kernel.security.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.store.AuditLog;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.AuditRecord;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "hanse", name = "audit", description = "Shows the latest entries of the audit log, oldest "
        + "first: who changed what, and when.")
@Service
@RequiresPermission(value = KernelPermissions.AUDIT_READ, everywhere = true)
public class AuditCommand extends SecuredAction {

    static final int MAX_LIMIT = 1000;

    @Option(name = "--actor", description = "Only changes by this user, agent, plugin or peer: by name, such as alice,"
            + " or as the entries show it, such as user:alice")
    String actor;

    @Option(name = "--target", description = "Only changes to this target or below it, such as user/alice or "
            + "system/web")
    String target;

    @Option(name = "--since", description = "Only changes at or after this time: an ISO-8601 instant "
            + "(2026-11-23T10:00:00Z), a date (2026-11-23, from midnight UTC) or a duration back from now (PT1H)")
    String since;

    @Option(name = "-n", aliases = "--limit", description = "How many entries at most, 1 to 1000")
    int limit = 50;

    @Option(name = "--json", description = "Prints a JSON array of the entries, with what each changed and "
            + "its place in the hash chain")
    boolean json;

    @Reference
    AuditLog audit;

    @Override
    protected Object execute(Caller caller) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("--limit must be 1 to " + MAX_LIMIT + ", not " + limit);
        }
        List<AuditRecord> records = new ArrayList<>(audit.query(new AuditQuery(blankToNull(actor),
                blankToNull(target), since(since, Instant.now()), null, 0, limit)));
        Collections.reverse(records);
        if (json) {
            out().println(ShellJson.json(records));
        } else {
            table(records).print(out());
        }
        return null;
    }

    /** Returns the records in the order given, one line each. */
    static ShellTable table(List<AuditRecord> records) {
        ShellTable table = new ShellTable().emptyTableText("No audit entries");
        table.column("Seq").alignRight();
        table.column("Time");
        table.column("Actor");
        table.column("Action");
        table.column("Target").maxSize(80);
        for (AuditRecord record : records) {
            table.addRow().addContent(record.seq(), ShellText.time(record.time()),
                    ShellText.source(record.entry().actor()), record.entry().action(), record.entry().target());
        }
        return table;
    }

    /**
     * Parses {@code --since}.
     *
     * @return the earliest time, or {@code null} for no bound
     * @throws InvalidRequestException if it is neither an instant, a date nor a duration, or is a time
     *     Hanse cannot store
     */
    static Instant since(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return Parameters.storable("--since", now.minus(Duration.parse(value)));
            }
            if (value.contains("T") || value.contains("t")) {
                return Parameters.storable("--since", Instant.parse(value));
            }
            return Parameters.storable("--since", LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeException | ArithmeticException e) {
            throw new InvalidRequestException("--since takes an ISO-8601 instant such as 2026-11-23T10:00:00Z, a "
                    + "date such as 2026-11-23 or a duration such as PT1H, not '" + text + "'");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
