package io.hanse.api.status;

import io.hanse.api.security.Scope;
import java.time.Instant;
import java.util.List;

/**
 * The status of one system, with every layer kept.
 *
 * @param system the system's slug
 * @param own the worst status its own contributors report
 * @param reports what each contributor reports about it
 * @param rolledUp the worst of {@code own} and its members' rolled-up status
 * @param since when {@code rolledUp} last changed
 * @param causes the paths that make {@code rolledUp} what it is, shortest first; empty when it is
 *     {@link Status#NO_DATA} or {@link Status#OK}
 * @param causeCount how many members (at any depth, this system included) have an own status as bad
 *     as {@code rolledUp}; {@code causes} may list fewer
 */
public record SystemStatus(String system, Status own, List<StatusReport> reports, Status rolledUp, Instant since,
        List<Cause> causes, int causeCount) {

    public SystemStatus {
        reports = List.copyOf(reports);
        causes = List.copyOf(causes);
    }

    /**
     * Returns this status as someone who may read only the systems of a scope sees it: the causes
     * whose paths pass through a system outside it are left out, and {@code causeCount} counts only
     * the causes that remain. Whether the causes not listed pass through a system outside the scope
     * is not known here, so they are not counted: the count is exact when {@code causes} lists every
     * cause, and may be lower otherwise, but it never tells of a system outside the scope. The
     * rolled-up status stays what it is: it belongs to this system.
     *
     * @since 0.2
     */
    public SystemStatus within(Scope scope) {
        if (scope.everywhere()) {
            return this;
        }
        List<Cause> visible = causes.stream().filter(cause -> cause.path().stream().allMatch(scope::includes))
                .toList();
        return new SystemStatus(system, own, reports, rolledUp, since, visible, visible.size());
    }
}
