package io.hanse.kernel.federation.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.kernel.store.RecordedMembers;
import java.util.function.Predicate;

/**
 * What a peer is sent of the kernel's records of changes to systems ({@code system.created},
 * {@code system.updated}, {@code system.members-changed}), which name the members that joined or
 * left: only the members the peer is granted, never another instance's systems, and no list of
 * members left empty, as the kernel records none ({@link RecordedMembers}, by which the kernel shows
 * these records to its own readers too, by what they may read).
 */
final class SystemRecords {

    private SystemRecords() {
    }

    /**
     * Returns whether a record's body, as the kernel wrote it, names members that {@code granted}
     * does not take or that are another instance's systems, and removes them from it if so.
     */
    static boolean hideMembers(ObjectNode body, Predicate<String> granted) {
        return RecordedMembers.hide(body, slug -> !remote(slug) && granted.test(slug));
    }

    /** Returns whether a slug is that of another instance's system, such as {@code zrh/db}. */
    static boolean remote(String slug) {
        return slug.indexOf('/') >= 0;
    }
}
