package io.hanse.kernel.agents.rest;

import static io.hanse.api.security.KernelPermissions.AGENTS_DESIRE;
import static io.hanse.api.security.KernelPermissions.AGENTS_ENROLL;
import static io.hanse.api.security.KernelPermissions.AGENTS_MANAGE;
import static io.hanse.api.security.KernelPermissions.AGENTS_READ;
import static io.hanse.api.security.KernelPermissions.WORK_WRITE;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.api.agent.Desire;
import io.hanse.api.agent.DesireService;
import io.hanse.api.agent.WorkDraft;
import io.hanse.api.agent.WorkItem;
import io.hanse.api.agent.WorkService;
import io.hanse.api.rest.Parameters;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Public;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.agents.internal.AgentRegistry;
import io.hanse.kernel.security.AgentIdentities;
import io.hanse.kernel.security.AgentIdentities.Enrollment;
import io.hanse.kernel.security.AgentIdentities.Identity;
import io.hanse.kernel.security.AgentIdentities.IssuedEnrollment;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /api/v1/agents}: enrolled agents and their enrollment tokens, desires for them, and work
 * items; and, without credentials, the one request an agent enrolls with. What agents send once
 * enrolled goes to {@code /api/v1/agents/self}.
 */
@Component(service = RestResource.class)
@Path("agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AgentResource implements RestResource {

    /** How long an enrollment token lives when its creator does not say. */
    static final Duration DEFAULT_VALIDITY = Duration.ofHours(1);

    private final AgentIdentities identities;
    private final AgentRegistry registry;
    private final DesireService desires;
    private final WorkService work;

    @Activate
    public AgentResource(@Reference AgentIdentities identities, @Reference AgentRegistry registry,
            @Reference DesireService desires, @Reference WorkService work) {
        this.identities = identities;
        this.registry = registry;
        this.desires = desires;
        this.work = work;
    }

    /** A new enrollment token for {@code agent} on {@code systems}, valid {@code validFor} (ISO-8601, default PT1H). */
    record EnrollmentInput(String agent, List<String> systems, String validFor) {
    }

    /** What an agent enrolls with: the token and its own public key. */
    record EnrollInput(String token, String publicKey, String version, String hostname) {
    }

    record EnrolledDto(String agent, List<String> systems, String fingerprint, long heartbeatSeconds,
            long ttlSeconds) {
    }

    record DesireInput(String kind, String system, String check, String agent) {
    }

    record DesiredDto(List<String> agents) {
    }

    /** A work item; {@code parameters} is a JSON object; lease defaults to 300 s, attempts to 3. */
    record WorkInput(String type, JsonNode parameters, Set<String> agents, Integer leaseSeconds,
            Integer maxAttempts) {
    }

    @GET
    @RequiresPermission(AGENTS_READ)
    public List<AgentDto> getAgents(@Context Caller caller) {
        return registry.agents(caller).stream().map(AgentDto::of).toList();
    }

    @GET
    @Path("{name}")
    @RequiresPermission(AGENTS_READ)
    public AgentDto getAgent(@PathParam("name") String name, @Context Caller caller) {
        return AgentDto.of(registry.agent(caller, name));
    }

    @POST
    @Path("{name}/disable")
    @RequiresPermission(AGENTS_MANAGE)
    public AgentDto disable(@PathParam("name") String name, @Context Caller caller) {
        identities.setDisabled(caller, name, true);
        return AgentDto.of(registry.agent(caller, name));
    }

    @POST
    @Path("{name}/enable")
    @RequiresPermission(AGENTS_MANAGE)
    public AgentDto enable(@PathParam("name") String name, @Context Caller caller) {
        identities.setDisabled(caller, name, false);
        return AgentDto.of(registry.agent(caller, name));
    }

    /** Revokes an agent: its key stops working at once; it must enroll with a new token to come back. */
    @DELETE
    @Path("{name}")
    @RequiresPermission(AGENTS_MANAGE)
    public void revoke(@PathParam("name") String name, @Context Caller caller) {
        identities.revoke(caller, name);
    }

    @POST
    @Path("enrollments")
    @RequiresPermission(AGENTS_ENROLL)
    public Response createEnrollment(EnrollmentInput input, @Context Caller caller) {
        EnrollmentInput given = Parameters.body(input, "a JSON object with agent and systems");
        Duration validFor = Parameters.duration("validFor", given.validFor());
        IssuedEnrollment issued = identities.createEnrollment(caller, given.agent(), given.systems(),
                validFor == null ? DEFAULT_VALIDITY : validFor);
        return Response.created(URI.create("agents/enrollments")).entity(issued).build();
    }

    @GET
    @Path("enrollments")
    @RequiresPermission(AGENTS_READ)
    public List<Enrollment> getEnrollments(@Context Caller caller) {
        return identities.enrollments(caller);
    }

    /** An agent enrolls: the token proves the operator's consent, the key is the agent's from now on. */
    @POST
    @Path("enroll")
    @Public
    public Response enroll(EnrollInput input, @Context ContainerRequestContext request) {
        EnrollInput given = Parameters.body(input, "a JSON object with token and publicKey");
        Identity agent = identities.enroll(given.token(), given.publicKey(), address(request));
        AgentRegistry.Intervals intervals = registry.intervals();
        return Response.created(URI.create("agents/" + agent.name())).entity(new EnrolledDto(agent.name(),
                agent.systems(), agent.fingerprint(), intervals.heartbeat().toSeconds(), intervals.ttl().toSeconds()))
                .build();
    }

    @POST
    @Path("desires")
    @RequiresPermission(AGENTS_DESIRE)
    public Response desire(DesireInput input, @Context Caller caller) {
        DesireInput given = Parameters.body(input, "a JSON object with kind and system");
        List<String> agents = desires.publish(caller, new Desire(given.kind(), given.system(), given.check(),
                given.agent()));
        return Response.accepted(new DesiredDto(agents)).build();
    }

    @GET
    @Path("work")
    @RequiresPermission(value = AGENTS_READ, everywhere = true)
    public List<WorkItemDto> getWork(@QueryParam("state") String state, @QueryParam("limit") @DefaultValue("100")
            int limit, @Context Caller caller) {
        return work.list(caller, state, limit).stream().map(WorkItemDto::of).toList();
    }

    @GET
    @Path("work/{id}")
    @RequiresPermission(value = AGENTS_READ, everywhere = true)
    public WorkItemDto getWorkItem(@PathParam("id") String id, @Context Caller caller) {
        return WorkItemDto.of(work.get(caller, Parameters.id("id", id)));
    }

    @POST
    @Path("work")
    @RequiresPermission(value = WORK_WRITE, everywhere = true)
    public Response createWork(WorkInput input, @Context Caller caller) {
        WorkInput given = Parameters.body(input, "a JSON object with type and parameters");
        WorkItem item = work.create(caller, new WorkDraft(given.type(),
                given.parameters() == null ? null : given.parameters().toString(), given.agents(),
                Duration.ofSeconds(given.leaseSeconds() == null ? 300 : given.leaseSeconds()),
                given.maxAttempts() == null ? 3 : given.maxAttempts()));
        return Response.created(URI.create("agents/work/" + item.id())).entity(WorkItemDto.of(item)).build();
    }

    private static String address(ContainerRequestContext request) {
        Object address = request.getProperty(CLIENT_ADDRESS);
        return address == null ? "unknown" : address.toString();
    }
}
