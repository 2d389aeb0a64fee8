package io.hanse.monitoring.internal;

import io.hanse.api.status.Status;
import io.hanse.api.status.StatusReport;
import io.hanse.api.status.StatusService;
import io.hanse.api.status.SystemStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The status of remote systems as their federated peers report it, which is all the views ask the kernel. */
final class PeerStatuses implements StatusService {

    private final Map<String, Map<String, StatusReport>> reported = new ConcurrentHashMap<>();

    /** Reports a remote system's status, as federation does from its peer. */
    void report(String slug, Status status) {
        report(slug, new StatusReport("federation", status, "", Instant.EPOCH));
    }

    /** Reports what one contributor says of a remote system, replacing what it said before. */
    void report(String slug, StatusReport report) {
        reported.computeIfAbsent(slug, key -> new ConcurrentHashMap<>()).put(report.contributor(), report);
    }

    @Override
    public SystemStatus status(String slug, int maxCauses) {
        Status own = rolledUp(slug);
        return new SystemStatus(slug, own, List.copyOf(reported.getOrDefault(slug, Map.of()).values()), own, null,
                List.of(), 0);
    }

    @Override
    public Status rolledUp(String slug) {
        return reported.getOrDefault(slug, Map.of()).values().stream().map(StatusReport::status)
                .reduce(Status.NO_DATA, Status::worst);
    }
}
