package io.hanse.monitoring.internal;

import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemService;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the data kept under some slugs must do to follow its systems, worked out from the id of the
 * system it is kept for, which never changes: move to the slug that system has now, or be
 * forgotten, as the system no longer exists. Data kept under a slug that now belongs to another
 * system is so never that system's. Checks, downtimes and reviews each keep their data under
 * slugs and follow with a plan from here when the plugin starts and when the kernel tells of a
 * change; checks and downtimes also at every sweep, for what the kernel did not tell.
 *
 * @param forgotten the slugs whose data is forgotten
 * @param moves the data that moves to another slug; where that slug holds the same system's data
 *     already (it came there before the rename was followed), the two are merged
 */
record Follow(List<String> forgotten, List<Move> moves) {

    /**
     * The id of no system. Rows stored before the plugin kept ids, under a slug no system has now,
     * are labelled with it when the plugin starts, and then forgotten as any whose system is gone.
     */
    static final UUID NO_SYSTEM = new UUID(0, 0);

    /** The data kept under one slug moves to another. */
    record Move(String from, String to) {
    }

    /**
     * Works out what the data kept under these slugs does, and what is kept under the slugs it
     * moves to.
     *
     * @param kept the id of the system whose data is kept under a slug; {@code null} for a slug
     *     nothing is kept under
     */
    static Follow of(Collection<String> slugs, Function<String, UUID> kept, SystemService systems) {
        List<String> forgotten = new ArrayList<>();
        List<Move> moves = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(slugs);
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String slug = todo.pop();
            UUID id = seen.add(slug) ? kept.apply(slug) : null;
            if (id == null) {
                continue;
            }
            Optional<String> now = systems.find(id).map(ManagedSystem::slug);
            if (now.isEmpty()) {
                forgotten.add(slug);
            } else if (!now.get().equals(slug)) {
                moves.add(new Move(slug, now.get()));
                // What is kept there now may be another system's, which was renamed or deleted: it follows too.
                todo.add(now.get());
            }
        }
        return new Follow(List.copyOf(forgotten), List.copyOf(moves));
    }

    /** Returns the slugs an event may change the data kept under: the system's, and the one it had before. */
    static Set<String> concerned(SystemEvent event) {
        Set<String> slugs = new LinkedHashSet<>();
        slugs.add(event.subject().slug());
        event.previous().map(ManagedSystem::slug).ifPresent(slugs::add);
        return slugs;
    }

    boolean isEmpty() {
        return forgotten.isEmpty() && moves.isEmpty();
    }

    /** Returns the slugs whose data is forgotten, moves away or moves in. */
    Set<String> slugs() {
        Set<String> slugs = new LinkedHashSet<>(forgotten);
        moves.forEach(move -> {
            slugs.add(move.from());
            slugs.add(move.to());
        });
        return slugs;
    }

    /**
     * Applies the plan to one table, whose rows name their system's slug in column {@code system};
     * part of the caller's transaction. Where data moves to a slug that holds the same system's
     * already, a moving row with the same {@code key} as one there (the same check's state, say) is
     * dropped, as the one there is newer; without a key, all rows move.
     */
    void apply(Connection connection, String table, String... key) throws SQLException {
        for (String slug : forgotten) {
            Sql.execute(connection, "DELETE FROM " + table + " WHERE system = ?", slug);
        }
        // Each move's rows are parked under a name no slug has first: of two systems that swapped
        // slugs, or one that took another's old slug, neither's rows meet the other's.
        for (int i = 0; i < moves.size(); i++) {
            Sql.execute(connection, "UPDATE " + table + " SET system = ? WHERE system = ?", parked(i),
                    moves.get(i).from());
        }
        String sameKey = Arrays.stream(key).map(column -> " AND there." + column + " = " + table + "." + column)
                .collect(Collectors.joining());
        for (int i = 0; i < moves.size(); i++) {
            String to = moves.get(i).to();
            if (key.length > 0) {
                Sql.execute(connection, "DELETE FROM " + table + " WHERE system = ? AND EXISTS (SELECT 1 FROM " + table
                        + " there WHERE there.system = ?" + sameKey + ")", parked(i), to);
            }
            Sql.execute(connection, "UPDATE " + table + " SET system = ? WHERE system = ?", to, parked(i));
        }
    }

    private static String parked(int move) {
        return "~" + move;
    }
}
