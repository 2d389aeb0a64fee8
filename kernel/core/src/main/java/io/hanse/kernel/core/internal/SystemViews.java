package io.hanse.kernel.core.internal;

import io.hanse.api.NotFoundException;
import io.hanse.api.security.Scope;
import io.hanse.api.status.StatusService;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the shell and REST show of systems: only those the caller may read, and of systems read one
 * after the other, while others may change them, only those still there.
 */
public final class SystemViews {

    /** How many causes are read for a caller who may not read every system, to count those it may. */
    static final int SCOPED_CAUSES = 1_000;

    private SystemViews() {
    }

    /**
     * Returns the direct members of a system, explicit and selected, that a caller who may read the
     * systems of {@code readable} sees, sorted by slug.
     *
     * @throws NotFoundException if there is no such system
     */
    public static List<ManagedSystem> members(SystemService systems, String slug, Scope readable) {
        return systems.members(slug).stream().filter(member -> readable.includes(member.slug())).toList();
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
     * Returns a system's status as a caller who may read the systems of {@code readable} sees it,
     * with at most {@code maxCauses} causes. Unless the caller may read every system, up to {@value
     * #SCOPED_CAUSES} causes are read, so that {@link SystemStatus#within} counts those the caller may
     * see among them, not only among the first {@code maxCauses}: exact up to that many causes.
     *
     * @throws NotFoundException if there is no such system
     */
    public static SystemStatus status(StatusService status, String slug, int maxCauses, Scope readable) {
        if (readable.everywhere()) {
            return status.status(slug, maxCauses);
        }
        SystemStatus seen = status.status(slug, Math.max(maxCauses, SCOPED_CAUSES)).within(readable);
        return new SystemStatus(seen.system(), seen.own(), seen.reports(), seen.rolledUp(), seen.since(),
                seen.causes().subList(0, Math.min(maxCauses, seen.causes().size())), seen.causeCount());
    }

    /**
     * Returns the explicit members a system gets when a caller who may read the systems of
     * {@code readable} replaces them with {@code wanted}: those, then the system's explicit members the
     * caller may not read. It was never shown these, so leaving them out cannot mean to remove them.
     */
    public static List<String> replacedMembers(ManagedSystem system, List<String> wanted, Scope readable) {
        return Stream.concat(wanted.stream(), system.members().stream().filter(member -> !readable.includes(member)))
                .distinct()
                .toList();
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
