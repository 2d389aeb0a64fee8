package io.hanse.monitoring.internal;

import io.hanse.api.security.Caller;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The views people work from, for REST and the shell alike: the problems in a scope and the status
 * matrix of systems by checks. A scope is an aggregate system with its members, a selector, or
 * everything; each view holds only the systems the caller may read.
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
     * @param rows one per system, sorted by slug
     */
    public record Matrix(List<String> columns, List<Row> rows) {
    }

    /** One system's row of the matrix: its checks by name. */
    public record Row(String system, List<Item> checks) {
    }

    private final Checks checks;
    private final SystemService systems;

    @Activate
    public Views(@Reference Checks checks, @Reference SystemService systems) {
        this.checks = checks;
        this.systems = systems;
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
        if (aggregate != null && !aggregate.isBlank()) {
            caller.require(MonitoringPermissions.READ, aggregate);
        }
        return scope(aggregate, selector).stream().filter(slug -> caller.may(MonitoringPermissions.READ, slug))
                .toList();
    }

    /**
     * Returns the slugs of all the systems in a scope, sorted, whoever may read them: what a review's
     * pass holds, whose items each caller then sees as far as it may read them.
     *
     * @throws io.hanse.api.NotFoundException if the aggregate does not exist
     * @throws io.hanse.api.InvalidRequestException if the selector cannot be read
     */
    public List<String> scope(String aggregate, String selector) {
        Set<String> slugs = new TreeSet<>();
        if (aggregate != null && !aggregate.isBlank()) {
            systems.get(aggregate);
            slugs.add(aggregate);
            slugs.addAll(systems.transitiveMembers(aggregate));
        } else {
            slugs.addAll(checks.systems());
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
        problems.sort(Comparator.comparing((Item i) -> -(i.state().stale() ? CheckStatus.UNKNOWN
                : i.state().status()).kernel().ordinal()).thenComparing(i -> i.state().system())
                .thenComparing(i -> i.state().check()));
        return problems;
    }

    /**
     * Returns the status matrix of a scope's systems that the caller may read (see
     * {@link #scope(Caller, String, String)}).
     */
    public Matrix matrix(Caller caller, String aggregate, String selector) {
        Set<String> columns = new TreeSet<>();
        List<Row> rows = new ArrayList<>();
        for (String system : scope(caller, aggregate, selector)) {
            List<Item> items = checks.of(system).stream().map(state -> item(caller, state)).toList();
            items.forEach(item -> columns.add(item.state().check()));
            rows.add(new Row(system, items));
        }
        return new Matrix(List.copyOf(columns), rows);
    }

    /** Returns a check as the caller sees it in a view. */
    public Item item(Caller caller, CheckState state) {
        Optional<Downtime> downtime = checks.downtime(state);
        return new Item(state, checks.acknowledged(state), downtime.isPresent(), downtime
                .filter(covering -> caller.may(MonitoringPermissions.READ, covering.system())).map(Downtime::id)
                .orElse(null));
    }
}
