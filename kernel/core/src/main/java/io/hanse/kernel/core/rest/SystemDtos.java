package io.hanse.kernel.core.rest;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Scope;
import io.hanse.api.status.Cause;
import io.hanse.api.status.StatusReport;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.system.Link;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Rules;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemDraft;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** The JSON shapes of systems and their status; field names are part of the REST API. */
final class SystemDtos {

    private SystemDtos() {
    }

    /** A link as JSON. */
    record LinkDto(String title, String url, String kind) {

        static LinkDto of(Link link) {
            return new LinkDto(link.title(), link.url().toString(), link.kind());
        }

        Link toLink() {
            try {
                return new Link(title, url == null ? null : new URI(url), kind);
            } catch (URISyntaxException e) {
                throw new InvalidRequestException("link '" + title + "' has a malformed url: " + e.getMessage());
            }
        }
    }

    /** Rules as JSON. */
    record RulesDto(String text, List<String> mayTouch, List<String> escalateTo) {

        static RulesDto of(Rules rules) {
            return new RulesDto(rules.text(), rules.mayTouch(), rules.escalateTo());
        }
    }

    /** What a client sends to create or replace a system. */
    record SystemInput(String slug, String name, String kind, Map<String, String> labels, String description,
            List<String> owners, List<LinkDto> links, RulesDto rules, List<String> members, String selector) {

        /** Returns the system to make, with the explicit members that {@code members} makes of those sent. */
        SystemDraft toDraft(String defaultSlug, UnaryOperator<List<String>> members) {
            String wanted = slug == null ? defaultSlug : slug;
            if (wanted == null) {
                throw new InvalidRequestException("slug is required");
            }
            return SystemDraft.builder(wanted)
                    .name(name)
                    .kind(kind)
                    .labels(labels)
                    .description(description)
                    .owners(owners)
                    // A null link is passed on for the draft to refuse, naming its index.
                    .links(links == null ? null : links.stream().map(link -> link == null ? null : link.toLink())
                            .toList())
                    .rules(rules == null ? null : new Rules(rules.text, rules.mayTouch, rules.escalateTo))
                    .members(members.apply(this.members == null ? List.of() : this.members))
                    .selector(selector == null || selector.isBlank() ? null : Selector.parse(selector))
                    .build();
        }
    }

    /**
     * A system as clients read it, with its rolled-up status and the explicit members they may read.
     */
    record SystemDto(UUID id, String slug, String name, String kind, Map<String, String> labels,
            String description, List<String> owners, List<LinkDto> links, RulesDto rules, List<String> members,
            String selector, String status, Instant created, Instant updated) {

        static SystemDto of(ManagedSystem system, String status, Scope readable) {
            return new SystemDto(system.id(), system.slug(), system.name(), system.kind(), system.labels(),
                    system.description(), system.owners(), system.links().stream().map(LinkDto::of).toList(),
                    RulesDto.of(system.rules()), system.members().stream().filter(readable::includes).toList(),
                    system.selector().map(Selector::toString).orElse(null), status, system.created(),
                    system.updated());
        }
    }

    /** One direct member and how it is a member. */
    record MemberDto(String slug, String name, String kind, String status, boolean explicit, boolean selected) {
    }

    /** What one contributor says. */
    record ReportDto(String contributor, String status, String summary, Instant since) {

        static ReportDto of(StatusReport report) {
            return new ReportDto(report.contributor(), report.status().label(), report.summary(), report.since());
        }
    }

    /** One path that explains a rolled-up status. */
    record CauseDto(List<String> path, String status, List<ReportDto> reports) {

        static CauseDto of(Cause cause) {
            return new CauseDto(cause.path(), cause.status().label(),
                    cause.reports().stream().map(ReportDto::of).toList());
        }
    }

    /** A system's status with every layer kept. */
    record StatusDto(String system, String own, List<ReportDto> reports, String rolledUp, Instant since,
            List<CauseDto> causes, int causeCount) {

        static StatusDto of(SystemStatus status) {
            return new StatusDto(status.system(), status.own().label(),
                    status.reports().stream().map(ReportDto::of).toList(), status.rolledUp().label(),
                    status.since(), status.causes().stream().map(CauseDto::of).toList(), status.causeCount());
        }
    }

    /** Which systems a selector chooses. */
    record SelectorPreviewDto(String selector, int count, List<String> systems) {
    }
}
