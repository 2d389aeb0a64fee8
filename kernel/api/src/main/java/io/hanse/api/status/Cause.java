package io.hanse.api.status;

import java.util.List;

/**
 * Why a rolled-up status is what it is: one path down the membership graph, from the system asked
 * about to a system whose own status is that bad.
 *
 * @param path slugs from the system asked about to the system that reports the status, both included;
 *     a path of one means the system's own status is the cause
 * @param status the status at the end of the path
 * @param reports what the contributors said about the system at the end of the path
 */
public record Cause(List<String> path, Status status, List<StatusReport> reports) {

    public Cause {
        path = List.copyOf(path);
        reports = List.copyOf(reports);
    }
}
