package io.hanse.kernel.agents.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooLargeException;
import io.hanse.api.agent.WorkDraft;
import io.hanse.api.agent.WorkItem;
import io.hanse.api.agent.WorkService;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.StoredWorkItem;
import io.hanse.kernel.store.WorkStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Work items: created by people and plugins, each leased to exactly one agent that announced its
 * type, and offered again when a lease runs out before the agent reports the item done.
 */
@Component(service = {WorkService.class, WorkManager.class})
public final class WorkManager implements WorkService {

    /** The largest parameters or result of one item. */
    static final int MAX_JSON_BYTES = 64 * 1024;
    /**
     * The most items one claim takes: an agent that asks for more gets at most this many, as a claim
     * may always get fewer than it asks for, rather than nothing and a 400.
     */
    static final int MAX_CLAIM = 100;
    static final Set<String> STATES = Set.of("open", "leased", "succeeded", "failed");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkStore store;
    private final Clock clock;

    @Activate
    public WorkManager(@Reference WorkStore store) {
        this(store, Clock.systemUTC());
    }

    WorkManager(WorkStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public WorkItem create(Caller caller, WorkDraft draft) {
        caller.require(KernelPermissions.WORK_WRITE);
        String parameters = object(draft.parameters(), "parameters");
        StoredWorkItem item = new StoredWorkItem(UUID.randomUUID(), draft.type(), parameters, draft.agents(), "open",
                0, null, null, (int) draft.lease().toSeconds(), draft.maxAttempts(), caller.source().name(), now(),
                null, null);
        store.insert(item, new AuditEntry(caller.source(), "work.create", "work/" + item.id(), null,
                JsonNodeFactory.instance.objectNode().put("type", item.type()).toString()));
        return view(item);
    }

    @Override
    public List<WorkItem> list(Caller caller, String state, int limit) {
        caller.require(KernelPermissions.AGENTS_READ);
        if (state != null && !STATES.contains(state)) {
            throw new InvalidRequestException("state is one of "
                    + String.join(", ", STATES.stream().sorted().toList()));
        }
        return store.list(state, Math.max(1, Math.min(limit, 1000))).stream().map(WorkManager::view).toList();
    }

    @Override
    public WorkItem get(Caller caller, UUID id) {
        caller.require(KernelPermissions.AGENTS_READ);
        return store.find(id).map(WorkManager::view).orElseThrow(() -> new NotFoundException("no work item " + id));
    }

    /**
     * Leases an agent up to {@code max} items, and no more than {@link #MAX_CLAIM}, of the types it can do.
     *
     * @throws InvalidRequestException if {@code max} is below 1, or the capabilities are missing,
     *     too many or not work types
     */
    public List<WorkItem> claim(String agent, List<String> capabilities, int max) {
        if (max < 1) {
            throw new InvalidRequestException("max is at least 1; a claim takes at most " + MAX_CLAIM + " items");
        }
        if (capabilities == null || capabilities.isEmpty()) {
            throw new InvalidRequestException("capabilities name the work types the agent takes");
        }
        return store.claim(agent, Capabilities.check(capabilities), Math.min(max, MAX_CLAIM), now()).stream()
                .map(WorkManager::view).toList();
    }

    /**
     * Reports an item done by the agent that holds its lease.
     *
     * @throws ConflictException if the agent no longer holds that lease
     */
    public void complete(String agent, UUID id, long lease, boolean succeeded, String result) {
        String stored = object(result, "result");
        if (!store.complete(id, lease, agent, succeeded, stored, now())) {
            throw new ConflictException("agent " + agent + " does not hold lease " + lease + " of work item " + id
                    + "; it expired and went to another agent, or the item is finished");
        }
    }

    /** Checks that a text is a JSON object within the limit, and returns it compact. */
    private static String object(String json, String what) {
        if (json == null) {
            return "{}";
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_JSON_BYTES) {
            throw new TooLargeException(what + " are " + bytes + " bytes; the limit is " + MAX_JSON_BYTES);
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new InvalidRequestException(what + " must be a JSON object");
            }
            return node.toString();
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(what + " are not JSON: " + e.getOriginalMessage());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static WorkItem view(StoredWorkItem item) {
        return new WorkItem(item.id(), item.type(), item.parameters(), item.agents(), item.state(), item.lease(),
                item.holder(), item.leaseExpires(), item.maxAttempts(), item.createdBy(), item.created(),
                item.finished(), item.result());
    }
}
