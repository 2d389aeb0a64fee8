package io.hanse.api.timeline;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Scope;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * Which events to read or follow. Every given filter must hold.
 *
 * @param system only events about this system (a slug); {@code null} for all systems
 * @param includeMembers with {@code system}, also events about all systems it aggregates, at any depth
 * @param types only events of these types; a type ending in {@code .*}, such as
 *     {@code monitoring.*}, stands for its whole namespace. Empty for all types
 * @param from only events that happened at or after this time; {@code null} for no bound. Both bounds
 *     are taken up to the next whole microsecond, the precision events are kept in
 * @param until only events that happened before this time; {@code null} for no bound
 * @param limit how many events a page holds, 1 to {@value #MAX_LIMIT}
 * @param cursor where the previous page ended, as returned in {@link EventPage#next()}; {@code null}
 *     for the newest events
 * @param within only events about these systems (slugs), whatever else is asked for: what a caller
 *     may read. {@code null} for no such bound; events about no system are outside any bound
 */
public record EventQuery(String system, boolean includeMembers, Set<String> types, Instant from, Instant until,
        int limit, String cursor, Set<String> within) {

    /** The largest page. */
    public static final int MAX_LIMIT = 1_000;

    public EventQuery {
        types = types == null ? Set.of() : Set.copyOf(types);
        within = within == null ? null : Set.copyOf(within);
        for (String type : types) {
            EventDraft.checkType(type.endsWith(".*") ? type.substring(0, type.length() - 2) + ".x" : type);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        if (from != null && until != null && !from.isBefore(until)) {
            throw new InvalidRequestException("from must be before until");
        }
        // Events are kept to the microsecond, and databases compare to it: a bound between two selects as the next.
        from = wholeMicros(from);
        until = wholeMicros(until);
    }

    private static Instant wholeMicros(Instant time) {
        Instant down = time == null ? null : time.truncatedTo(ChronoUnit.MICROS);
        return down == null || down.equals(time) ? time : down.plus(1, ChronoUnit.MICROS);
    }

    /** Returns a query for the newest {@code limit} events about a system and everything it aggregates. */
    public static EventQuery around(String system, int limit) {
        return new EventQuery(system, true, Set.of(), null, null, limit, null, null);
    }

    /** Returns whether an event's type is one of {@link #types()}. */
    public boolean matchesType(String type) {
        if (types.isEmpty() || types.contains(type)) {
            return true;
        }
        for (String wanted : types) {
            if (wanted.endsWith(".*") && type.startsWith(wanted.substring(0, wanted.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** Returns this query for the page after {@code cursor}. */
    public EventQuery after(String cursor) {
        return new EventQuery(system, includeMembers, types, from, until, limit, cursor, within);
    }

    /** Returns this query bounded to events about the systems of a scope, such as where a caller may read. */
    public EventQuery within(Scope scope) {
        return new EventQuery(system, includeMembers, types, from, until, limit, cursor,
                scope.everywhere() ? null : scope.systems());
    }
}
