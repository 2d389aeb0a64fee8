package io.hanse.kernel.core.internal.system;

import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.status.Cause;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusChange;
import io.hanse.api.status.StatusReport;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemEvent;
import io.hanse.kernel.store.StoredSystem;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * All systems of the instance in memory: the membership graph with its dynamic selections, kept
 * acyclic, and the status of every system, rolled up incrementally.
 * <p>
 * Changes are made in two steps: {@code plan…} checks a change against the graph without touching
 * it, so the caller can store the plan first; {@link #apply} then makes it. Not thread-safe: the
 * owner serialises access.
 */
final class SystemGraph {

    /** A checked change to one system, ready to be stored and applied. */
    record Plan(Node node, boolean isNew, SystemDraft draft, List<Node> explicit, Set<Node> selected,
            Set<Node> dynamicParents, Instant at) {

        List<UUID> explicitIds() {
            return explicit.stream().map(member -> member.id).toList();
        }
    }

    /**
     * Refuses a change that would make a cycle. It carries the whole path, which only the owner may
     * put into words: the caller may not be allowed to read every system on it.
     */
    static final class CycleException extends RuntimeException {

        private final List<String> path;

        CycleException(List<String> path) {
            super(null, null, false, false);
            this.path = List.copyOf(path);
        }

        /** Returns the slugs along the cycle, beginning and ending with the changed system's. */
        List<String> path() {
            return path;
        }
    }

    private final Map<UUID, Node> byId = new HashMap<>();
    private final Map<String, Node> bySlug = new HashMap<>();
    private final Set<Node> dynamic = new LinkedHashSet<>();

    int size() {
        return byId.size();
    }

    Optional<Node> find(String slug) {
        return Optional.ofNullable(bySlug.get(slug));
    }

    Node get(String slug) {
        Node node = bySlug.get(slug);
        if (node == null) {
            throw notFound(slug);
        }
        return node;
    }

    /**
     * Returns the answer about a system that does not exist: also the answer about one that a caller
     * may not read, so that the two cannot be told apart.
     */
    static NotFoundException notFound(String slug) {
        return new NotFoundException("no system " + Messages.quote(slug));
    }

    Optional<Node> find(UUID id) {
        return Optional.ofNullable(byId.get(id));
    }

    Collection<Node> nodes() {
        return byId.values();
    }

    /** Builds the graph from what was stored; stored systems were checked when they were stored. */
    void load(Collection<StoredSystem> systems) {
        for (StoredSystem system : systems) {
            Node node = new Node(system.id(), system.draft(), system.created(), system.updated());
            byId.put(node.id, node);
            bySlug.put(node.slug(), node);
            if (node.isDynamic()) {
                dynamic.add(node);
            }
        }
        Set<Node> ignored = new HashSet<>();
        for (StoredSystem system : systems) {
            Node node = byId.get(system.id());
            for (UUID member : system.members()) {
                Node explicit = byId.get(member);
                node.explicit.add(explicit);
                link(node, explicit, ignored);
            }
        }
        for (Node aggregate : dynamic) {
            for (Node candidate : byId.values()) {
                if (aggregate.selects(candidate)) {
                    aggregate.selected.add(candidate);
                    link(aggregate, candidate, ignored);
                }
            }
        }
    }

    /** Checks the creation of a system. */
    Plan planCreate(UUID id, SystemDraft draft, Instant at) {
        if (bySlug.containsKey(draft.slug())) {
            throw new ConflictException("system '" + draft.slug() + "' already exists");
        }
        return plan(new Node(id, draft, at, at), true, draft, at);
    }

    /** Checks a change of everything about a system but its id. */
    Plan planUpdate(Node node, SystemDraft draft, Instant at) {
        Node owner = bySlug.get(draft.slug());
        if (owner != null && owner != node) {
            throw new ConflictException("system '" + draft.slug() + "' already exists");
        }
        return plan(node, false, draft, at);
    }

    private Plan plan(Node node, boolean isNew, SystemDraft draft, Instant at) {
        List<Node> explicit = new ArrayList<>();
        for (String slug : draft.members()) {
            Node member = get(slug);
            if (member == node) {
                // Only possible with a rename: the draft lists the system by its old slug.
                throw new InvalidRequestException("system '" + slug + "' cannot be its own member");
            }
            explicit.add(member);
        }
        Set<Node> selected = new HashSet<>();
        draft.selector().ifPresent(selector -> {
            for (Node candidate : byId.values()) {
                if (candidate != node && selector.matches(candidate.draft.labels())) {
                    selected.add(candidate);
                }
            }
        });
        Set<Node> dynamicParents = new HashSet<>();
        for (Node aggregate : dynamic) {
            if (aggregate != node && aggregate.draft.selector().orElseThrow().matches(draft.labels())) {
                dynamicParents.add(aggregate);
            }
        }
        Set<Node> parents = new HashSet<>(dynamicParents);
        for (Node parent : node.parents) {
            if (parent.explicit.contains(node)) {
                parents.add(parent);
            }
        }
        Set<Node> members = new LinkedHashSet<>(explicit);
        members.addAll(selected);
        checkAcyclic(node, draft.slug(), members, parents);
        return new Plan(node, isNew, draft, List.copyOf(explicit), selected, dynamicParents, at);
    }

    /**
     * Refuses a change after which a system would reach one of its own aggregates through its members.
     * Any new cycle runs through the changed system, whose outgoing edges the search never follows.
     */
    private static void checkAcyclic(Node node, String slug, Collection<Node> members, Set<Node> parents) {
        if (parents.isEmpty() || members.isEmpty()) {
            return;
        }
        Map<Node, Node> reachedFrom = new HashMap<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        for (Node member : members) {
            if (reachedFrom.putIfAbsent(member, node) == null) {
                queue.add(member);
            }
        }
        while (!queue.isEmpty()) {
            Node current = queue.poll();
            if (parents.contains(current)) {
                List<String> path = new ArrayList<>();
                for (Node step = current; step != node; step = reachedFrom.get(step)) {
                    path.add(0, step.slug());
                }
                path.add(0, slug);
                path.add(slug);
                throw new CycleException(path);
            }
            current.members().forEach(next -> {
                if (next != node && reachedFrom.putIfAbsent(next, current) == null) {
                    queue.add(next);
                }
            });
        }
    }

    /** Makes a planned change. The graph must not have changed since the plan was made. */
    void apply(Plan plan, Changes changes) {
        Node node = plan.node;
        Optional<ManagedSystem> before = plan.isNew ? Optional.empty() : Optional.of(node.snapshot());
        if (plan.isNew) {
            byId.put(node.id, node);
        } else {
            bySlug.remove(node.slug());
            node.updated = plan.at;
        }
        node.draft = plan.draft;
        bySlug.put(node.slug(), node);
        if (node.isDynamic()) {
            dynamic.add(node);
        } else {
            dynamic.remove(node);
        }
        Set<Node> dirty = new LinkedHashSet<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Node member : node.members().toList()) {
            if (!plan.explicit.contains(member) && !plan.selected.contains(member)) {
                unlink(node, member, dirty);
                removed.add(member.slug());
            }
        }
        for (Node member : plan.explicit) {
            if (link(node, member, dirty)) {
                added.add(member.slug());
            }
        }
        for (Node member : plan.selected) {
            if (link(node, member, dirty)) {
                added.add(member.slug());
            }
        }
        node.explicit.clear();
        node.explicit.addAll(plan.explicit);
        node.selected.clear();
        node.selected.addAll(plan.selected);
        changes.systemEvents.add(new SystemEvent(plan.isNew ? SystemEvent.Type.ADDED : SystemEvent.Type.UPDATED,
                node.snapshot(), before, added, removed));
        for (Node aggregate : dynamic) {
            boolean selects = plan.dynamicParents.contains(aggregate);
            if (selects != aggregate.selected.contains(node)) {
                ManagedSystem previous = aggregate.snapshot();
                boolean changed;
                if (selects) {
                    aggregate.selected.add(node);
                    changed = link(aggregate, node, dirty);
                } else {
                    aggregate.selected.remove(node);
                    changed = !aggregate.explicit.contains(node);
                    if (changed) {
                        unlink(aggregate, node, dirty);
                    }
                }
                if (changed) {
                    List<String> slug = List.of(node.slug());
                    changes.systemEvents.add(new SystemEvent(SystemEvent.Type.MEMBERS_CHANGED, aggregate.snapshot(),
                            Optional.of(previous), selects ? slug : List.of(), selects ? List.of() : slug));
                }
            }
        }
        propagate(dirty, plan.at, changes);
    }

    /** Removes a system; its aggregates lose it as a member. */
    void delete(Node node, Instant at, Changes changes) {
        ManagedSystem gone = node.snapshot();
        Set<Node> dirty = new LinkedHashSet<>();
        for (Node parent : List.copyOf(node.parents)) {
            ManagedSystem previous = parent.snapshot();
            boolean wasExplicit = parent.explicit.remove(node);
            parent.selected.remove(node);
            unlink(parent, node, dirty);
            if (wasExplicit) {
                parent.updated = at;
            }
            changes.systemEvents.add(new SystemEvent(
                    wasExplicit ? SystemEvent.Type.UPDATED : SystemEvent.Type.MEMBERS_CHANGED, parent.snapshot(),
                    Optional.of(previous), List.of(), List.of(node.slug())));
        }
        List<String> members = new ArrayList<>();
        for (Node member : node.members().toList()) {
            unlink(node, member, dirty);
            members.add(member.slug());
        }
        dirty.remove(node);
        byId.remove(node.id);
        bySlug.remove(node.slug());
        dynamic.remove(node);
        changes.systemEvents.add(new SystemEvent(SystemEvent.Type.REMOVED, gone, Optional.of(gone), List.of(),
                members));
        propagate(dirty, at, changes);
    }

    private static boolean link(Node aggregate, Node member, Set<Node> dirty) {
        if (!aggregate.membersByStatus.get(member.rolledUp).add(member)) {
            return false;
        }
        member.parents.add(aggregate);
        dirty.add(aggregate);
        return true;
    }

    private static void unlink(Node aggregate, Node member, Set<Node> dirty) {
        if (aggregate.membersByStatus.get(member.rolledUp).remove(member)) {
            member.parents.remove(aggregate);
            dirty.add(aggregate);
        }
    }

    // --- status ---

    /**
     * Records what a contributor says about a system and rolls it up.
     *
     * @param status the reported status, or {@code null} to withdraw the report
     */
    void report(Node node, String contributor, Status status, String summary, Instant at, Changes changes) {
        Status ownBefore = node.own;
        if (status == null) {
            if (node.reports.remove(contributor) == null) {
                return;
            }
        } else {
            StatusReport previous = node.reports.get(contributor);
            Instant since = previous != null && previous.status() == status ? previous.since() : at;
            node.reports.put(contributor, new StatusReport(contributor, status, summary, since));
        }
        node.own = node.computeOwn();
        if (node.own != ownBefore) {
            Status rolledUpBefore = node.rolledUp;
            int first = changes.statusChanges.size();
            propagate(new LinkedHashSet<>(List.of(node)), at, changes);
            // propagate records this node's own roll-up change first, if there is one; it carries the own change
            StatusChange change = new StatusChange(node.id, node.slug(), ownBefore, node.own, rolledUpBefore,
                    node.rolledUp, at);
            if (node.rolledUp != rolledUpBefore) {
                changes.statusChanges.set(first, change);
            } else {
                changes.statusChanges.add(first, change);
            }
        }
    }

    /** Withdraws the reports of a contributor, as when it goes away, but on the systems it keeps. */
    void withdraw(String contributor, Instant at, Changes changes, Predicate<UUID> keep) {
        for (Node node : byId.values()) {
            if (node.reports.containsKey(contributor) && !keep.test(node.id)) {
                report(node, contributor, null, null, at, changes);
            }
        }
    }

    /**
     * Recomputes the rolled-up status of changed systems and walks up while it changes: the cost is
     * the number of aggregates whose status actually changes, not the size of the graph.
     */
    private static void propagate(Set<Node> dirty, Instant at, Changes changes) {
        ArrayDeque<Node> queue = new ArrayDeque<>(dirty);
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            Status before = node.rolledUp;
            Status after = node.computeRolledUp();
            if (after == before) {
                continue;
            }
            node.rolledUp = after;
            node.since = at;
            changes.statusChanges.add(new StatusChange(node.id, node.slug(), node.own, node.own, before, after, at));
            for (Node parent : node.parents) {
                parent.membersByStatus.get(before).remove(node);
                parent.membersByStatus.get(after).add(node);
                queue.add(parent);
            }
        }
    }

    /**
     * Explains a system's status: the shortest paths down to the systems whose own status is as bad
     * as its rolled-up status. Only members with that rolled-up status are visited, and they are
     * found without looking at the others.
     */
    SystemStatus status(Node node, int maxCauses) {
        Status worst = node.rolledUp;
        List<Cause> causes = new ArrayList<>();
        int count = 0;
        if (worst.compareTo(Status.OK) > 0) {
            Map<Node, Node> reachedFrom = new LinkedHashMap<>();
            ArrayDeque<Node> queue = new ArrayDeque<>();
            reachedFrom.put(node, null);
            queue.add(node);
            while (!queue.isEmpty()) {
                Node current = queue.poll();
                if (current.own == worst) {
                    count++;
                    if (causes.size() < maxCauses) {
                        causes.add(new Cause(path(current, reachedFrom), worst, List.copyOf(current.reports.values())));
                    }
                }
                current.membersByStatus.get(worst).stream()
                        .filter(member -> !reachedFrom.containsKey(member))
                        .sorted(Comparator.comparing(Node::slug))
                        .forEach(member -> {
                            reachedFrom.put(member, current);
                            queue.add(member);
                        });
            }
        }
        return new SystemStatus(node.slug(), node.own, List.copyOf(node.reports.values()), worst, node.since,
                causes, count);
    }

    private static List<String> path(Node end, Map<Node, Node> reachedFrom) {
        List<String> path = new ArrayList<>();
        for (Node step = end; step != null; step = reachedFrom.get(step)) {
            path.add(0, step.slug());
        }
        return path;
    }

    // --- reading the graph ---

    /** Returns the ids of a system and of everything below it. */
    Set<UUID> selfAndBelow(Node node) {
        Set<UUID> ids = new HashSet<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        ids.add(node.id);
        queue.add(node);
        while (!queue.isEmpty()) {
            queue.poll().members().forEach(member -> {
                if (ids.add(member.id)) {
                    queue.add(member);
                }
            });
        }
        return ids;
    }

    /** Returns whether {@code node} is {@code ancestor} or lies anywhere below it. */
    static boolean isWithin(Node node, Node ancestor) {
        if (node == ancestor) {
            return true;
        }
        Set<Node> seen = new HashSet<>();
        ArrayDeque<Node> queue = new ArrayDeque<>(node.parents);
        while (!queue.isEmpty()) {
            Node parent = queue.poll();
            if (parent == ancestor) {
                return true;
            }
            if (seen.add(parent)) {
                queue.addAll(parent.parents);
            }
        }
        return false;
    }

    static List<ManagedSystem> sorted(Collection<Node> nodes) {
        return nodes.stream().sorted(Comparator.comparing(Node::slug)).map(Node::snapshot)
                .collect(Collectors.toList());
    }
}
