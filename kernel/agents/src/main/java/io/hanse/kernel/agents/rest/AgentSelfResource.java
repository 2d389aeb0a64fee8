package io.hanse.kernel.agents.rest;

import static io.hanse.api.security.KernelPermissions.AGENTS_REPORT;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.agents.internal.AgentRegistry;
import io.hanse.kernel.agents.internal.AgentRegistry.Heartbeat;
import io.hanse.kernel.agents.internal.DesireBoard;
import io.hanse.kernel.agents.internal.DesireBoard.Offered;
import io.hanse.kernel.agents.internal.Ingest;
import io.hanse.kernel.agents.internal.Ingest.Observation;
import io.hanse.kernel.agents.internal.Ingest.Outcome;
import io.hanse.kernel.agents.internal.WorkManager;
import io.hanse.kernel.security.AgentIdentities.Identity;
import java.time.Duration;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.HEAD;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /api/v1/agents/self}: what an enrolled agent sends, each request signed with its key (see
 * {@code docs/agent-protocol.md}). Only agents may call it: a user holding {@code agents:report}
 * is still not an agent.
 */
@Component(service = RestResource.class)
@Path("agents/self")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AgentSelfResource implements RestResource {

    private final AgentRegistry registry;
    private final Ingest ingest;
    private final DesireBoard desires;
    private final WorkManager work;

    @Activate
    public AgentSelfResource(@Reference AgentRegistry registry, @Reference Ingest ingest,
            @Reference DesireBoard desires, @Reference WorkManager work) {
        this.registry = registry;
        this.ingest = ingest;
        this.desires = desires;
        this.work = work;
    }

    record SpoolInput(long pending, long dropped) {
    }

    record HeartbeatInput(String version, Long bootEpoch, String hostname, List<String> capabilities,
            JsonNode checks, SpoolInput spool) {
    }

    record IntervalsDto(long heartbeatSeconds, long ttlSeconds) {
    }

    record BatchInput(long bootEpoch, List<Observation> observations) {
    }

    record DesiresDto(List<Offered> desires) {
    }

    record ClaimInput(List<String> capabilities, Integer max) {
    }

    record ClaimedDto(List<WorkItemDto> items) {
    }

    /** A finished work item: the lease the agent held, whether it worked, and what it found (a JSON object). */
    record CompletionInput(Long lease, Boolean succeeded, JsonNode result) {
    }

    @POST
    @Path("heartbeat")
    @RequiresPermission(AGENTS_REPORT)
    public IntervalsDto heartbeat(HeartbeatInput input, @Context Caller caller) {
        HeartbeatInput given = Parameters.body(input, "a JSON heartbeat with at least version");
        if (given.checks() != null && !given.checks().isArray()) {
            throw new InvalidRequestException("checks must be a JSON array");
        }
        SpoolInput spool = given.spool() == null ? new SpoolInput(0, 0) : given.spool();
        registry.heartbeat(agent(caller), new Heartbeat(given.version(),
                given.bootEpoch() == null ? 0 : given.bootEpoch(), given.hostname(),
                given.capabilities(), given.checks() == null ? null : given.checks().toString(), spool.pending(),
                spool.dropped()));
        AgentRegistry.Intervals intervals = registry.intervals();
        return new IntervalsDto(intervals.heartbeat().toSeconds(), intervals.ttl().toSeconds());
    }

    /** Stores a batch of observations, all or nothing, and answers only once they are committed. */
    @POST
    @Path("observations")
    @RequiresPermission(AGENTS_REPORT)
    public Outcome observations(BatchInput input, @Context Caller caller) {
        BatchInput given = Parameters.body(input, "a JSON batch with bootEpoch and observations");
        return ingest.accept(caller, agent(caller), given.bootEpoch(), given.observations());
    }

    /** A long poll: answered when there is a desire for this agent, or after {@code wait} seconds with none. */
    @GET
    @Path("desires")
    @RequiresPermission(AGENTS_REPORT)
    public void desires(@QueryParam("wait") @DefaultValue("30") int wait, @Context Caller caller,
            @Suspended AsyncResponse response) {
        desires.poll(agent(caller).name(), waitOf(wait), offered -> response.resume(new DesiresDto(offered)));
    }

    /**
     * What {@link #desires} would answer, at once and handing over nothing: Jersey would otherwise run
     * the poll for HEAD, which waited and then dropped the desires it handed over with the body.
     */
    @HEAD
    @Path("desires")
    @RequiresPermission(AGENTS_REPORT)
    public Response desiresHead(@QueryParam("wait") @DefaultValue("30") int wait, @Context Caller caller) {
        waitOf(wait);
        agent(caller);
        return Response.ok().build();
    }

    private static Duration waitOf(int seconds) {
        if (seconds < 0 || seconds > DesireBoard.MAX_WAIT.toSeconds()) {
            throw new InvalidRequestException("wait is 0 to " + DesireBoard.MAX_WAIT.toSeconds() + " seconds");
        }
        return Duration.ofSeconds(seconds);
    }

    @POST
    @Path("work/claim")
    @RequiresPermission(AGENTS_REPORT)
    public ClaimedDto claim(ClaimInput input, @Context Caller caller) {
        ClaimInput given = Parameters.body(input, "a JSON object with capabilities");
        return new ClaimedDto(work.claim(agent(caller).name(), given.capabilities(),
                given.max() == null ? 1 : given.max()).stream().map(WorkItemDto::of).toList());
    }

    @POST
    @Path("work/{id}/complete")
    @RequiresPermission(AGENTS_REPORT)
    public void complete(@PathParam("id") String id, CompletionInput input, @Context Caller caller) {
        CompletionInput given = Parameters.body(input, "a JSON object with lease, succeeded and result");
        if (given.lease() == null || given.succeeded() == null) {
            throw new InvalidRequestException("lease and succeeded are required");
        }
        work.complete(agent(caller).name(), Parameters.id("id", id), given.lease(), given.succeeded(),
                given.result() == null ? null : given.result().toString());
    }

    /** The calling agent, noted as seen. */
    private Identity agent(Caller caller) {
        if (caller.source().kind() != Source.Kind.AGENT) {
            throw new ForbiddenException("only enrolled agents may call this, with requests signed by their key");
        }
        Identity agent = registry.identity(caller.source().name());
        registry.seen(agent);
        return agent;
    }
}
