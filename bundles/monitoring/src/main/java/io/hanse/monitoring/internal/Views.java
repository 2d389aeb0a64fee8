package io.hanse.monitoring.internal;

import io.hanse.api.NotFoundException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusReport;
import io.hanse.api.status.StatusService;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The views people work from, for REST and the shell alike: the problems in a scope and the status
 * matrix, of systems by checks or of aggregates by members. A scope is an aggregate system with its
 * members, a selector, or everything; each view holds only the systems the caller may read.
 */
@Component(service = Views.class)
public final class Views {

    /**
     * One check in a view, with what makes it handled.
     *
     * @param acknowledged whether its problem is acknowledged now (see {@link Checks#acknowledged})
     * @param inDowntime whether a downtime covers it now
     * @param downtime that downtime's id, if the viewer may read the system it is on; else
     *     {@code null}, as a downtime on an aggregate the viewer may not read covers the member all the same
     */
    public record Item(CheckState state, boolean acknowledged, boolean inDowntime, UUID downtime) {

        /** Whether someone knows about its problem. */
        public boolean handled() {
            return acknowledged || inDowntime;
        }
    }

    /**
     * Systems by checks.
     *
     * @param columns the names of all checks of the systems, sorted
     * @param rows one per system with checks, sorted by slug
     */
    public record Matrix(List<String> columns, List<Row> rows) {
    }

    /** One system's row of the matrix: its checks by name. */
    public record Row(String system, List<Item> checks) {
    }

    /**
     * Aggregates by members.
     *
     * @param columns the slugs of the aggregates' direct members that the caller may read, sorted
     * @param rows one per aggregate with such a member, sorted by slug
     */
    public record Members(List<String> columns, List<Aggregate> rows) {
    }

    /** One aggregate's row: the summary of each direct member the caller may read, by slug. */
    public record Aggregate(String system, Map<String, Summary> cells) {
    }

    /**
     * The checks of a system and of its members at any depth, as far as the caller may read them.
     *
     * @param worst the worst status among them, a stale check's counted as unknown; {@code null} if there are none
     * @param checks how many checks there are
     * @param problems how many of them are problems
     * @param unhandled how many problems are neither acknowledged nor in downtime
     * @param oldestUnhandled when the oldest unhandled problem began: when the check turned to its failing
     *     status, or, for one that is only stale, when its last result came; {@code null} if none is unhandled
     * @param remote the worst status the federated peers report of the remote systems among them that the
     *     caller may also read as systems, whose checks are watched on their peers, not here; {@code null}
     *     if there are none
     */
    public record Summary(CheckStatus worst, int checks, int problems, int unhandled, Instant oldestUnhandled,
            Status remote) {

        static Summary of(List<Item> items, Status remote) {
            List<Item> problems = items.stream().filter(item -> item.state().problem()).toList();
            List<Item> unhandled = problems.stream().filter(item -> !item.handled()).toList();
            return new Summary(items.stream().map(item -> counted(item.state())).max(Comparator.comparing(
                    CheckStatus::kernel)).orElse(null), items.size(), problems.size(), unhandled.size(),
                    unhandled.stream().map(item -> since(item.state())).min(Comparator.naturalOrder()).orElse(null),
                    remote);
        }
    }

    private final Checks checks;
    private final SystemService systems;
    private final StatusService status;

    @Activate
    public Views(@Reference Checks checks, @Reference SystemService systems, @Reference StatusService status) {
        this.checks = checks;
        this.systems = systems;
        this.status = status;
    }

    /**
     * Returns the slugs of the systems in a scope that the caller may read, sorted.
     *
     * @param aggregate a system whose members (and theirs) are in scope with it; {@code null} for none
     * @param selector a selector such as {@code env=prod}; {@code null} for none
     * @throws io.hanse.api.ForbiddenException if the caller may not read the aggregate, whether it
     *     exists or not: as the kernel's own resources, nothing tells who may not read it that it exists
     * @throws io.hanse.api.NotFoundException if the aggregate does not exist
     * @throws io.hanse.api.InvalidRequestException if the selector cannot be read
     */
    public List<String> scope(Caller caller, String aggregate, String selector) {
        return scope(caller, aggregate, selector, checks::systems);
    }

    /** As {@link #scope(Caller, String, String)}, with everything being what {@code everything} gives. */
    private List<String> scope(Caller caller, String aggregate, String selector,
            Supplier<Collection<String>> everything) {
        if (aggregate != null && !aggregate.isBlank()) {
            caller.require(MonitoringPermissions.READ, aggregate);
        }
        return scope(aggregate, selector, everything).stream()
                .filter(slug -> caller.may(MonitoringPermissions.READ, slug)).toList();
    }

    /**
     * Returns the slugs of all the systems in a scope, sorted, whoever may read them: what a review's
     * pass holds, whose items each caller then sees as far as it may read them.
     *
     * @throws io.hanse.api.NotFoundException if the aggregate does not exist
     * @throws io.hanse.api.InvalidRequestException if the selector cannot be read
     */
    public List<String> scope(String aggregate, String selector) {
        return scope(aggregate, selector, checks::systems);
    }

    /**
     * Returns the slugs of all the systems in a scope, sorted, where everything, without an aggregate,
     * is what {@code everything} gives: the systems with checks for the views of checks, since the
     * others add nothing to them, but every system for the aggregates, which seldom have checks.
     */
    private List<String> scope(String aggregate, String selector, Supplier<Collection<String>> everything) {
        Set<String> slugs = new TreeSet<>();
        if (aggregate != null && !aggregate.isBlank()) {
            systems.get(aggregate);
            slugs.add(aggregate);
            slugs.addAll(systems.transitiveMembers(aggregate));
        } else {
            slugs.addAll(everything.get());
        }
        if (selector != null && !selector.isBlank()) {
            Set<String> selected = new LinkedHashSet<>();
            systems.list(null, Selector.parse(selector)).stream().map(ManagedSystem::slug).forEach(selected::add);
            slugs.retainAll(selected);
        }
        return List.copyOf(slugs);
    }

    /**
     * Returns the problems in a scope (see {@link #scope(Caller, String, String)}) among the systems
     * the caller may read, worst first, then by system and check.
     */
    public List<Item> problems(Caller caller, String aggregate, String selector, boolean unhandledOnly) {
        List<Item> problems = new ArrayList<>();
        for (String system : scope(caller, aggregate, selector)) {
            for (CheckState state : checks.of(system)) {
                if (state.problem()) {
                    Item item = item(caller, state);
                    if (!unhandledOnly || !item.handled()) {
                        problems.add(item);
                    }
                }
            }
        }
        problems.sort(Comparator.comparing((Item i) -> counted(i.state()).kernel(), Comparator.reverseOrder())
                .thenComparing(i -> i.state().system()).thenComparing(i -> i.state().check()));
        return problems;
    }

    /**
     * A remote system whose federated peer reports a problem, or whose peer has had no link for a
     * while: its checks are watched there, so it is one line here.
     *
     * @param peer the instance that owns it
     * @param status its own status here: warning, unknown or critical
     * @param since since when the reports that make that status have said so, the earliest of them
     * @param summary what those reports say, such as {@code on fra: monitoring disk CRITICAL}
     */
    public record RemoteProblem(String system, String peer, Status status, Instant since, String summary) {
    }

    /**
     * Returns the remote systems in a scope (see {@link #scope(Caller, String, String)}) whose own
     * status is a problem, worst first, then by system; only those the caller may also read as
     * systems, to whom the kernel shows their status. Acknowledgements and downtimes are their
     * peers': a problem handled there is not reported as one.
     */
    public List<RemoteProblem> remoteProblems(Caller caller, String aggregate, String selector) {
        List<RemoteProblem> problems = new ArrayList<>();
        for (String slug : scope(caller, aggregate, selector, () -> systems.list(null, null).stream()
                .map(ManagedSystem::slug).filter(system -> SystemDraft.peer(system).isPresent()).toList())) {
            Optional<String> peer = SystemDraft.peer(slug);
            if (peer.isEmpty() || !caller.may(KernelPermissions.SYSTEMS_READ, slug)) {
                continue;
            }
            unlessGone(() -> List.of(status.status(slug, 1))).stream()
                    .filter(remote -> remote.own().compareTo(Status.OK) > 0).forEach(remote -> {
                        List<StatusReport> making = remote.reports().stream()
                                .filter(report -> report.status() == remote.own()).toList();
                        problems.add(new RemoteProblem(slug, peer.get(), remote.own(), making.stream()
                                .map(StatusReport::since).min(Comparator.naturalOrder()).orElse(remote.since()),
                                String.join("; ", making.stream().map(StatusReport::summary).toList())));
                    });
        }
        problems.sort(Comparator.comparing(RemoteProblem::status, Comparator.reverseOrder())
                .thenComparing(RemoteProblem::system));
        return problems;
    }

    /**
     * Returns the status matrix of a scope's systems that the caller may read (see
     * {@link #scope(Caller, String, String)}): a row for each that has checks, so none for an
     * aggregate without checks of its own.
     */
    public Matrix matrix(Caller caller, String aggregate, String selector) {
        Set<String> columns = new TreeSet<>();
        List<Row> rows = new ArrayList<>();
        for (String system : scope(caller, aggregate, selector)) {
            List<Item> items = checks.of(system).stream().map(state -> item(caller, state)).toList();
            items.forEach(item -> columns.add(item.state().check()));
            if (!items.isEmpty()) {
                rows.add(new Row(system, items));
            }
        }
        return new Matrix(List.copyOf(columns), rows);
    }

    /**
     * Returns the status matrix of a scope's aggregates by their direct members (see
     * {@link #scope(Caller, String, String)}, where everything is every system): a row for each
     * aggregate in scope with a member the caller may read, and in it a cell for each such member that
     * sums up the checks of the member and of its members at any depth, those the caller may read. The
     * selector chooses the rows; it does not choose which members are summed up.
     */
    public Members members(Caller caller, String aggregate, String selector) {
        Set<String> columns = new TreeSet<>();
        List<Aggregate> rows = new ArrayList<>();
        // An aggregate's members are often another's: each is summed up once.
        Map<String, Summary> summaries = new HashMap<>();
        for (String system : scope(caller, aggregate, selector, () -> systems.list(null, null).stream()
                .map(ManagedSystem::slug).toList())) {
            Map<String, Summary> cells = new TreeMap<>();
            for (ManagedSystem member : unlessGone(() -> systems.members(system))) {
                if (caller.may(MonitoringPermissions.READ, member.slug())) {
                    cells.put(member.slug(), summaries.computeIfAbsent(member.slug(), slug -> summary(caller, slug)));
                }
            }
            if (!cells.isEmpty()) {
                columns.addAll(cells.keySet());
                rows.add(new Aggregate(system, cells));
            }
        }
        return new Members(List.copyOf(columns), rows);
    }

    /** Returns what is read of a system, or nothing if the system was deleted since the scope was read. */
    private static <T> List<T> unlessGone(Supplier<List<T>> read) {
        try {
            return read.get();
        } catch (NotFoundException gone) {
            return List.of();
        }
    }

    /**
     * Sums up the checks of a system and of its members at any depth that the caller may read, and what
     * the federated peers report of the remote systems among them.
     */
    private Summary summary(Caller caller, String system) {
        Set<String> below = new TreeSet<>(unlessGone(() -> systems.transitiveMembers(system)));
        below.add(system);
        List<String> readable = below.stream().filter(slug -> caller.may(MonitoringPermissions.READ, slug)).toList();
        // As the kernel shows a system's status: to those who may read the system.
        Status remote = readable.stream().filter(slug -> SystemDraft.peer(slug).isPresent()
                        && caller.may(KernelPermissions.SYSTEMS_READ, slug))
                .flatMap(slug -> unlessGone(() -> List.of(status.status(slug, 1).own())).stream())
                .reduce(Status::worst).orElse(null);
        return Summary.of(readable.stream().flatMap(slug -> checks.of(slug).stream())
                .map(state -> item(caller, state)).toList(), remote);
    }

    /** Returns the status a check counts as among others: its own, or unknown while it is stale. */
    private static CheckStatus counted(CheckState state) {
        return state.stale() ? CheckStatus.UNKNOWN : state.status();
    }

    /** Returns when a check's problem began, as {@link Summary#oldestUnhandled} counts it. */
    private static Instant since(CheckState state) {
        return state.status() == CheckStatus.OK ? state.lastResult() : state.lastChange();
    }

    /**
     * Returns the checks of a system, by name, as the caller sees them in a view.
     *
     * @throws io.hanse.api.ForbiddenException if the caller may not read the system, whether it exists or not
     * @throws io.hanse.api.NotFoundException if the system does not exist
     */
    public List<Item> checks(Caller caller, String system) {
        caller.require(MonitoringPermissions.READ, system);
        systems.get(system);
        return checks.of(system).stream().map(state -> item(caller, state)).toList();
    }

    /** Returns a check as the caller sees it in a view. */
    public Item item(Caller caller, CheckState state) {
        Optional<Downtime> downtime = checks.downtime(state);
        return new Item(state, checks.acknowledged(state), downtime.isPresent(), downtime
                .filter(covering -> caller.may(MonitoringPermissions.READ, covering.system())).map(Downtime::id)
                .orElse(null));
    }
}
