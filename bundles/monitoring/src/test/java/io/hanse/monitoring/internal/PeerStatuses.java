package io.hanse.monitoring.internal;

import io.hanse.api.status.Status;
import io.hanse.api.status.StatusService;
import io.hanse.api.status.SystemStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The status of remote systems as their federated peers report it, which is all the views ask the kernel. */
final class PeerStatuses implements StatusService {

    private final Map<String, Status> reported = new ConcurrentHashMap<>();

    /** Reports a remote system's status, as federation does from its peer. */
    void report(String slug, Status status) {
        reported.put(slug, status);
    }

    @Override
    public SystemStatus status(String slug, int maxCauses) {
        Status own = rolledUp(slug);
        return new SystemStatus(slug, own, List.of(), own, null, List.of(), 0);
    }

    @Override
    public Status rolledUp(String slug) {
        return reported.getOrDefault(slug, Status.NO_DATA);
    }
}
