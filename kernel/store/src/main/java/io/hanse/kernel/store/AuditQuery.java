package io.hanse.kernel.store;

import io.hanse.api.timeline.Source;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Which audit entries to read, newest first. Every given filter must hold.
 *
 * @param actor only entries by this actor: a name ({@code alice}), or a kind and a name as entries
 *     show them ({@code user:alice}, {@code agent:web-1}); {@code null} for all
 * @param target only entries about this target, or about targets under it ({@code system/web}
 *     also finds {@code system/web/members}); {@code null} for all
 * @param from only entries written at or after this time; {@code null} for no bound
 * @param until only entries written before this time; {@code null} for no bound
 * @param before only entries older than this sequence number, for paging; {@code 0} for the newest
 * @param limit at most this many, 1 to 1000
 */
public record AuditQuery(String actor, String target, Instant from, Instant until, long before, int limit) {

    /** Returns the actor as a kind and a name, if it is given as one ({@code user:alice}); no name has a colon. */
    public Optional<Source> kindAndName() {
        int colon = actor == null ? -1 : actor.indexOf(':');
        if (colon < 1 || colon == actor.length() - 1) {
            return Optional.empty();
        }
        String kind = actor.substring(0, colon).toUpperCase(Locale.ROOT);
        for (Source.Kind known : Source.Kind.values()) {
            if (known.name().equals(kind)) {
                return Optional.of(new Source(known, actor.substring(colon + 1)));
            }
        }
        return Optional.empty();
    }
}
