package io.hanse.monitoring.internal;

import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemService;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * What the data kept under some slugs must do to follow its systems, worked out from the id of the
 * system it is kept for, which never changes: move to the slug that system has now, or be
 * forgotten, as the system no longer exists. Data kept under a slug that now belongs to another
 * system is so never that system's. Checks, downtimes and reviews each keep their data under
 * slugs and follow with a plan from here when the plugin starts and, as the kernel tells of changes
 * only while it runs, again later: checks and downtimes when the kernel tells of a change and at
 * every sweep, reviews whenever they are read.
 *
 * @param forgotten the slugs whose data is forgotten
 * @param moves the data that moves to another slug
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
        Set<String> staying = new HashSet<>();
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
            } else if (now.get().equals(slug)) {
                staying.add(slug);
            } else {
                moves.add(new Move(slug, now.get()));
                // What is kept there now was another system's, which was renamed or deleted: it follows too.
                todo.add(now.get());
            }
        }
        // Data of one system kept under its new slug as well (results for it came before the rename
        // was followed) is what it has had since: the copy under its old slug is forgotten, not merged.
        List<Move> placed = new ArrayList<>();
        for (Move move : moves) {
            if (staying.add(move.to())) {
                placed.add(move);
            } else {
                forgotten.add(move.from());
            }
        }
        return new Follow(List.copyOf(forgotten), List.copyOf(placed));
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
     * part of the caller's transaction.
     */
    void apply(Connection connection, String table) throws SQLException {
        for (String slug : forgotten) {
            Sql.execute(connection, "DELETE FROM " + table + " WHERE system = ?", slug);
        }
        // Each move's rows are parked under a name no slug has first: of two systems that swapped
        // slugs, or one that took another's old slug, neither's rows meet the other's.
        for (int i = 0; i < moves.size(); i++) {
            Sql.execute(connection, "UPDATE " + table + " SET system = ? WHERE system = ?", parked(i),
                    moves.get(i).from());
        }
        for (int i = 0; i < moves.size(); i++) {
            Sql.execute(connection, "UPDATE " + table + " SET system = ? WHERE system = ?", moves.get(i).to(),
                    parked(i));
        }
    }

    private static String parked(int move) {
        return "~" + move;
    }
}
