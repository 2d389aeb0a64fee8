package io.hanse.api.system;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A system as it is stored: what it is, who owns it, where to look, what the rules are, and which
 * systems it aggregates.
 *
 * @param id stable identifier; never changes, not even when the slug does
 * @param slug short name, unique in this instance, such as {@code storage-fra1}; other instances
 *     refer to the system as {@code instance-name/slug}
 * @param name human-readable name
 * @param kind free text such as {@code service}, {@code host}, {@code environment},
 *     {@code datacenter} or {@code component}
 * @param labels key=value labels that selectors match, sorted by key
 * @param description what the system is and does
 * @param owners who owns it: people or teams
 * @param links dashboards, runbooks, repositories
 * @param rules what may be touched and whom to escalate to
 * @param members slugs of the explicit members, in the order they were added
 * @param selector for a dynamic aggregate, the selector that chooses further members
 * @param created when the system was created
 * @param updated when it was last changed, including its explicit members
 */
public record ManagedSystem(
        UUID id,
        String slug,
        String name,
        String kind,
        Map<String, String> labels,
        String description,
        List<String> owners,
        List<Link> links,
        Rules rules,
        List<String> members,
        Optional<Selector> selector,
        Instant created,
        Instant updated) {

    public ManagedSystem {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        owners = List.copyOf(owners);
        links = List.copyOf(links);
        members = List.copyOf(members);
    }

    /** Returns a draft with everything of this system, to change some of it. */
    public SystemDraft.Builder toDraft() {
        return SystemDraft.builder(slug)
                .name(name)
                .kind(kind)
                .labels(labels)
                .description(description)
                .owners(owners)
                .links(links)
                .rules(rules)
                .members(members)
                .selector(selector.orElse(null));
    }
}
