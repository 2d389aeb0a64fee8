package io.hanse.monitoring.internal;

import io.hanse.api.security.Caller;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

    /** One check in a view, with what makes it handled. */
    public record Item(CheckState state, boolean handled, Downtime downtime) {
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
        Set<String> slugs = new TreeSet<>();
        if (aggregate != null && !aggregate.isBlank()) {
            caller.require(MonitoringPermissions.READ, aggregate);
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
        slugs.removeIf(slug -> !caller.may(MonitoringPermissions.READ, slug));
        return List.copyOf(slugs);
    }

    /** Returns the problems among the systems, worst first, then by system and check. */
    public List<Item> problems(List<String> scope, boolean unhandledOnly) {
        List<Item> problems = new ArrayList<>();
        for (String system : scope) {
            for (CheckState state : checks.of(system)) {
                if (state.problem()) {
                    Item item = item(state);
                    if (!unhandledOnly || !item.handled()) {
                        problems.add(item);
                    }
                }
            }
        }
        problems.sort(Comparator.comparing((Item i) -> -(i.state().stale() ? CheckStatus.UNKNOWN : i.state().status()).kernel().ordinal())
                .thenComparing(i -> i.state().system()).thenComparing(i -> i.state().check()));
        return problems;
    }

    /** Returns the status matrix of the systems. */
    public Matrix matrix(List<String> scope) {
        Set<String> columns = new TreeSet<>();
        List<Row> rows = new ArrayList<>();
        for (String system : scope) {
            List<Item> items = checks.of(system).stream().map(this::item).toList();
            items.forEach(item -> columns.add(item.state().check()));
            rows.add(new Row(system, items));
        }
        return new Matrix(List.copyOf(columns), rows);
    }

    public Item item(CheckState state) {
        Downtime downtime = checks.downtime(state).orElse(null);
        return new Item(state, state.ack() != null || downtime != null, downtime);
    }
}
