package io.hanse.kernel.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import java.util.List;
import java.util.function.Predicate;

/**
 * The members the kernel's records of changes to systems ({@code system.created}, {@code system.updated},
 * {@code system.members-changed}) name as joined or left, and the one rule by which they are shown:
 * to the kernel's readers, only the members they may read; to a peer, only those it is granted.
 */
public final class RecordedMembers {

    /** The field of a {@code system.*} record that lists the slugs of the systems that became direct members. */
    public static final String ADDED = "addedMembers";
    /** The field of a {@code system.*} record that lists the slugs of those that stopped being direct members. */
    public static final String REMOVED = "removedMembers";

    private RecordedMembers() {
    }

    /** Returns whether an event is one of the kernel's records that may name members: a {@code system.*} one. */
    public static boolean mayName(Event event) {
        return event.source().kind() == Source.Kind.KERNEL && event.type().startsWith("system.");
    }

    /**
     * Removes from a record's body the members {@code shown} does not take, and a list of members left
     * empty, as the kernel records none. Returns whether it removed any.
     */
    public static boolean hide(ObjectNode body, Predicate<String> shown) {
        boolean hidden = false;
        for (String field : List.of(ADDED, REMOVED)) {
            if (body.get(field) instanceof ArrayNode members) {
                ArrayNode seen = body.arrayNode();
                for (JsonNode member : members) {
                    if (member.isTextual() && shown.test(member.asText())) {
                        seen.add(member);
                    }
                }
                if (seen.size() < members.size()) {
                    hidden = true;
                    if (seen.isEmpty()) {
                        body.remove(field);
                    } else {
                        body.set(field, seen);
                    }
                }
            }
        }
        return hidden;
    }
}
