package io.hanse.kernel.core.command.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.TIMELINE_READ;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.security.Scope;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.api.status.Cause;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusReport;
import io.hanse.api.status.StatusService;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.system.Link;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Timeline;
import io.hanse.kernel.core.internal.SystemViews;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "system", name = "show", description = "Shows everything about a system: what it is, "
        + "its rules, its status and why, its members and its latest events.")
@Service
@RequiresPermission(SYSTEMS_READ)
public class SystemShowCommand extends SecuredAction {

    static final int MAX_CAUSES = 10;
    static final int MAX_EVENTS = 10;

    /** A direct member as listed. */
    private record Member(ManagedSystem system, Status status) {
    }

    @Argument(index = 0, name = "slug", description = "The system", required = true)
    @Completion(SystemSlugCompleter.class)
    String slug;

    @Reference
    SystemService systems;

    @Reference
    StatusService status;

    @Reference
    Timeline timeline;

    @Override
    protected Object execute(Caller caller) {
        caller.require(permission(), slug);
        Scope readable = caller.scope(permission());
        PrintStream out = out();
        ManagedSystem system = systems.get(slug);
        printSystem(system, out);
        printStatus(SystemViews.status(status, slug, MAX_CAUSES, readable), out);
        printMembers(SystemViews.stillThere(SystemViews.members(systems, slug, readable),
                member -> new Member(member, status.rolledUp(member.slug()))), out);
        List<ManagedSystem> aggregates = SystemViews.aggregates(systems, slug, readable);
        out.println();
        out.println("Member of: " + (aggregates.isEmpty() ? "none"
                : aggregates.stream().map(ManagedSystem::slug).collect(Collectors.joining(", "))));
        Scope events = caller.scope(TIMELINE_READ);
        if (events.includes(slug)) {
            printEvents(timeline.query(EventQuery.around(slug, MAX_EVENTS).within(events)).events(), out);
        } else {
            out.println();
            out.println("Latest events: not shown without " + TIMELINE_READ + " on " + slug);
        }
        return null;
    }

    private static void printSystem(ManagedSystem system, PrintStream out) {
        ShellTable table = new ShellTable().noHeaders();
        table.column("");
        table.column("").maxSize(100).wrap();
        table.addRow().addContent("Name", system.name());
        table.addRow().addContent("Kind", system.kind());
        table.addRow().addContent("Slug", system.slug());
        table.addRow().addContent("Id", system.id());
        table.addRow().addContent("Labels", ShellText.labels(system.labels()));
        table.addRow().addContent("Description", system.description());
        table.addRow().addContent("Owners", String.join(", ", system.owners()));
        system.selector().ifPresent(selector -> table.addRow().addContent("Selector", selector));
        table.addRow().addContent("Rules", system.rules().text());
        table.addRow().addContent("May touch", String.join(", ", system.rules().mayTouch()));
        table.addRow().addContent("Escalate to", String.join(", ", system.rules().escalateTo()));
        table.print(out);

        out.println();
        if (system.links().isEmpty()) {
            out.println("Links: none");
            return;
        }
        out.println("Links:");
        ShellTable links = new ShellTable();
        links.column("Title").maxSize(50);
        links.column("Kind");
        links.column("Url");
        for (Link link : system.links()) {
            links.addRow().addContent(link.title(), link.kind(), link.url());
        }
        links.print(out);
    }

    private static void printStatus(SystemStatus status, PrintStream out) {
        out.println();
        out.println("Own status: " + status.own().label()
                + (status.reports().isEmpty() ? " (no contributor reports on it)" : ""));
        if (!status.reports().isEmpty()) {
            ShellTable reports = new ShellTable();
            reports.column("Contributor");
            reports.column("Status");
            reports.column("Summary").maxSize(80).wrap();
            reports.column("Since");
            for (StatusReport report : status.reports()) {
                reports.addRow().addContent(report.contributor(), report.status().label(), report.summary(),
                        ShellText.time(report.since()));
            }
            reports.print(out);
        }
        out.println("Rolled-up status: " + status.rolledUp().label()
                + (status.since() == null ? "" : " since " + ShellText.time(status.since())));
        for (String line : why(status)) {
            out.println("  " + line);
        }
    }

    private static void printMembers(List<Member> members, PrintStream out) {
        out.println();
        if (members.isEmpty()) {
            out.println("Members: none");
            return;
        }
        out.println("Members (" + members.size() + "):");
        ShellTable table = new ShellTable();
        table.column("Slug");
        table.column("Name").maxSize(40);
        table.column("Kind");
        table.column("Status");
        for (Member member : members) {
            ManagedSystem system = member.system();
            table.addRow().addContent(system.slug(), system.name(), system.kind(), member.status().label());
        }
        table.print(out);
    }

    private static void printEvents(List<Event> newestFirst, PrintStream out) {
        out.println();
        if (newestFirst.isEmpty()) {
            out.println("Latest events: none");
            return;
        }
        out.println("Latest events:");
        List<Event> events = new ArrayList<>(newestFirst);
        Collections.reverse(events);
        ShellTable table = new ShellTable();
        table.column("Time");
        table.column("Type");
        table.column("System");
        table.column("Source");
        for (Event event : events) {
            table.addRow().addContent(ShellText.time(event.time()), event.type(), event.system(),
                    ShellText.source(event.source()));
        }
        table.print(out);
    }

    /**
     * Returns the lines that say why the rolled-up status is what it is: one per cause, and how many more
     * there are.
     */
    static List<String> why(SystemStatus status) {
        List<String> lines = new ArrayList<>();
        for (Cause cause : status.causes()) {
            lines.add(cause(cause));
        }
        int more = status.causeCount() - status.causes().size();
        if (more > 0) {
            lines.add(more + " more");
        }
        return lines;
    }

    /**
     * Returns one cause as a line, such as {@code critical via dc-fra1 → storage → db-1: disk full}: the
     * path down to the system that reports the status, and what its contributors say about it.
     */
    static String cause(Cause cause) {
        String path = cause.status().label() + " via " + String.join(" → ", cause.path());
        String said = cause.reports().stream()
                .filter(report -> report.status() == cause.status())
                .map(report -> report.summary().isEmpty() ? report.contributor() : report.summary())
                .collect(Collectors.joining("; "));
        return said.isEmpty() ? path : path + ": " + said;
    }
}
