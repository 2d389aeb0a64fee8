package io.hanse.api.agent;

import io.hanse.api.security.Caller;
import java.util.List;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Work items, each handed to exactly one agent at a time under a lease and offered again if the
 * lease runs out before the agent reports it done.
 */
@ProviderType
public interface WorkService {

    /**
     * Creates a work item.
     *
     * @throws io.hanse.api.ForbiddenException unless the caller holds {@code work:write} on the whole instance
     * @throws io.hanse.api.InvalidRequestException if the parameters are not a JSON object within 64 KiB
     */
    WorkItem create(Caller caller, WorkDraft draft);

    /**
     * Returns the newest items, at most {@code limit}.
     *
     * @param state only items in this state; {@code null} for all
     */
    List<WorkItem> list(Caller caller, String state, int limit);

    /** @throws io.hanse.api.NotFoundException if there is no such item */
    WorkItem get(Caller caller, UUID id);
}
