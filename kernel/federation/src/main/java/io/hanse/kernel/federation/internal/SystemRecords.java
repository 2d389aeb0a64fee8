package io.hanse.kernel.federation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a peer is sent of the kernel's records of changes to systems ({@code system.created},
 * {@code system.updated}, {@code system.members-changed}), which name the members that joined or
 * left: only the members the peer is granted, never another instance's systems, and no list of
 * members left empty, as the kernel records none. The kernel shows these records to its own readers
 * the same way, by what they may read; the field names are the kernel timeline's.
 */
final class SystemRecords {

    /** The field of a {@code system.*} record that lists the slugs of the systems that became direct members. */
    static final String ADDED_MEMBERS = "addedMembers";
    /** The field of a {@code system.*} record that lists the slugs of those that stopped being direct members. */
    static final String REMOVED_MEMBERS = "removedMembers";

    private SystemRecords() {
    }

    /**
     * Returns whether a record's body, as the kernel wrote it, names members that {@code granted}
     * does not take or that are another instance's systems, and removes them from it if so.
     */
    static boolean hideMembers(ObjectNode body, Predicate<String> granted) {
        boolean hidden = false;
        for (String field : List.of(ADDED_MEMBERS, REMOVED_MEMBERS)) {
            if (body.get(field) instanceof ArrayNode members) {
                ArrayNode seen = body.arrayNode();
                for (JsonNode member : members) {
                    if (member.isTextual() && !remote(member.asText()) && granted.test(member.asText())) {
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

    /** Returns whether a slug is that of another instance's system, such as {@code zrh/db}. */
    static boolean remote(String slug) {
        return slug.indexOf('/') >= 0;
    }
}
