package io.hanse.kernel.core.command.system;

import io.hanse.api.NotFoundException;
import io.hanse.api.security.Scope;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the shell and REST show of systems: only those the caller may read, and of systems read one
 * after the other, while others may change them, only those still there.
 */
public final class SystemViews {

    private SystemViews() {
    }

    /**
     * Returns the systems that have this one as a direct member and that a caller who may read the
     * systems of {@code readable} sees, sorted by slug.
     *
     * @throws NotFoundException if there is no such system
     */
    public static List<ManagedSystem> aggregates(SystemService systems, String slug, Scope readable) {
        return systems.aggregates(slug).stream().filter(aggregate -> readable.includes(aggregate.slug())).toList();
    }

    /**
     * Returns what {@code read} makes of each listed system, in their order, leaving out each system
     * that was deleted or renamed since it was listed, for which {@code read} throws
     * {@link NotFoundException}: a system going away while a list is made does not fail the list.
     */
    public static <T> List<T> stillThere(List<ManagedSystem> listed, Function<ManagedSystem, T> read) {
        List<T> views = new ArrayList<>();
        for (ManagedSystem system : listed) {
            try {
                views.add(read.apply(system));
            } catch (NotFoundException gone) {
                // Gone since it was listed: as if it had been gone before.
            }
        }
        return views;
    }
}
