package io.hanse.kernel.core.command.system;

import io.hanse.api.NotFoundException;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusService;
import io.hanse.api.status.SystemStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statuses it was given, answered as the kernel does; a system it was given none of is gone, as
 * one deleted after it was listed and before its status was read.
 */
public final class MemoryStatuses implements StatusService {

    private final Map<String, SystemStatus> statuses = new HashMap<>();

    /** Gives a system this rolled-up status, with nothing to explain it. */
    public MemoryStatuses put(String slug, Status rolledUp) {
        return put(new SystemStatus(slug, rolledUp, List.of(), rolledUp, null, List.of(), 0));
    }

    /** Gives a system this status. */
    public MemoryStatuses put(SystemStatus status) {
        statuses.put(status.system(), status);
        return this;
    }

    @Override
    public SystemStatus status(String slug, int maxCauses) {
        SystemStatus status = get(slug);
        return new SystemStatus(slug, status.own(), status.reports(), status.rolledUp(), status.since(),
                status.causes().subList(0, Math.min(maxCauses, status.causes().size())), status.causeCount());
    }

    @Override
    public Status rolledUp(String slug) {
        return get(slug).rolledUp();
    }

    private SystemStatus get(String slug) {
        SystemStatus status = statuses.get(slug);
        if (status == null) {
            throw new NotFoundException("no system '" + slug + "'");
        }
        return status;
    }
}
