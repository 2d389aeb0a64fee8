package io.hanse.kernel.core.internal.system;

import io.hanse.api.status.Status;
import io.hanse.api.status.StatusReport;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemDraft;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/** One system in the graph: what it is, its edges both ways, and its status. Guarded by the graph's owner. */
final class Node {

    final UUID id;
    final Instant created;
    SystemDraft draft;
    Instant updated;

    /** Members listed by hand, in the order they were added. */
    final Set<Node> explicit = new LinkedHashSet<>();
    /** Members the selector chooses. */
    final Set<Node> selected = new HashSet<>();
    /** The systems that have this one as a direct member. */
    final Set<Node> parents = new HashSet<>();

    final Map<String, StatusReport> reports = new TreeMap<>();
    Status own = Status.NO_DATA;
    Status rolledUp = Status.NO_DATA;
    Instant since;
    /**
     * The direct members (explicit and selected) by their rolled-up status: the roll-up in O(1), and
     * the explanation visits only the members that are as bad as the aggregate.
     */
    final Map<Status, Set<Node>> membersByStatus = new EnumMap<>(Status.class);

    Node(UUID id, SystemDraft draft, Instant created, Instant updated) {
        this.id = id;
        this.draft = draft;
        this.created = created;
        this.updated = updated;
        this.since = created;
        for (Status status : Status.values()) {
            membersByStatus.put(status, new HashSet<>());
        }
    }

    String slug() {
        return draft.slug();
    }

    boolean isDynamic() {
        return draft.selector().isPresent();
    }

    boolean selects(Node candidate) {
        return candidate != this && draft.selector().map(s -> s.matches(candidate.draft.labels())).orElse(false);
    }

    /** Returns the direct members, explicit and selected. */
    Stream<Node> members() {
        return membersByStatus.values().stream().flatMap(Set::stream);
    }

    /** Returns the worst of the own status and the members' rolled-up status. */
    Status computeRolledUp() {
        Status[] statuses = Status.values();
        for (int i = statuses.length - 1; i > own.ordinal(); i--) {
            if (!membersByStatus.get(statuses[i]).isEmpty()) {
                return statuses[i];
            }
        }
        return own;
    }

    Status computeOwn() {
        Status worst = Status.NO_DATA;
        for (StatusReport report : reports.values()) {
            worst = worst.worst(report.status());
        }
        return worst;
    }

    ManagedSystem snapshot() {
        return new ManagedSystem(id, draft.slug(), draft.name(), draft.kind(), draft.labels(), draft.description(),
                draft.owners(), draft.links(), draft.rules(), explicit.stream().map(Node::slug).toList(),
                draft.selector(), created, updated);
    }

    @Override
    public String toString() {
        return slug();
    }
}
