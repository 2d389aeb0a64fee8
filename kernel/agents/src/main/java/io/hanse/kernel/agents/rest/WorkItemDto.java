package io.hanse.kernel.agents.rest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.hanse.api.agent.WorkItem;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A work item as shown, its parameters and result as the JSON objects they are. */
record WorkItemDto(UUID id, String type, @JsonRawValue String parameters, Set<String> agents, String state,
        long lease, String holder, Instant leaseExpires, int maxAttempts, String createdBy, Instant created,
        Instant finished, @JsonRawValue String result) {

    static WorkItemDto of(WorkItem item) {
        return new WorkItemDto(item.id(), item.type(), item.parameters(), item.agents(), item.state(), item.lease(),
                item.holder(), item.leaseExpires(), item.maxAttempts(), item.createdBy(), item.created(),
                item.finished(), item.result());
    }
}
