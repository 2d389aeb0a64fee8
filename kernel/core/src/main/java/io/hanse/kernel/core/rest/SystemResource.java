package io.hanse.kernel.core.rest;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.security.Scope;
import io.hanse.api.status.StatusService;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemService;
import io.hanse.kernel.core.internal.SystemViews;
import io.hanse.kernel.core.rest.SystemDtos.MemberDto;
import io.hanse.kernel.core.rest.SystemDtos.StatusDto;
import io.hanse.kernel.core.rest.SystemDtos.SystemDto;
import io.hanse.kernel.core.rest.SystemDtos.SystemInput;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /api/v1/systems}: systems, their members and their status. */
@Component(service = RestResource.class)
@Path("systems")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class SystemResource implements RestResource {

    private static final int MAX_CAUSES = 100;
    private static final int MAX_PAGE = 10_000;

    private final SystemService systems;
    private final SystemAdminService admin;
    private final StatusService status;

    @Activate
    public SystemResource(@Reference SystemService systems, @Reference SystemAdminService admin,
            @Reference StatusService status) {
        this.systems = systems;
        this.admin = admin;
        this.status = status;
    }

    /**
     * Lists systems sorted by slug, a page at a time: when there are more, the {@code Link} header
     * names the next page ({@code rel="next"}, continuing after the last slug).
     */
    @GET
    @RequiresPermission(SYSTEMS_READ)
    public Response listSystems(@QueryParam("kind") String kind, @QueryParam("selector") String selector,
            @QueryParam("limit") @DefaultValue("1000") int limit, @QueryParam("after") String after,
            @Context UriInfo uri, @Context Caller caller) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_PAGE + ", not " + limit);
        }
        Scope readable = caller.scope(SYSTEMS_READ);
        List<ManagedSystem> matching = systems.list(blankToNull(kind),
                        selector == null || selector.isBlank() ? null : Selector.parse(selector)).stream()
                .filter(system -> (after == null || system.slug().compareTo(after) > 0)
                        && readable.includes(system.slug()))
                .limit(limit + 1L)
                .toList();
        List<ManagedSystem> page = matching.subList(0, Math.min(limit, matching.size()));
        Response.ResponseBuilder response = Response.ok(SystemViews.stillThere(page, system -> dto(system, readable)));
        if (matching.size() > limit) {
            URI next = uri.getRequestUriBuilder().replaceQueryParam("after", page.get(page.size() - 1).slug()).build();
            response.link(next, "next");
        }
        return response.build();
    }

    /** Creates a system; this needs write access on the whole instance, as a new system is in no scope yet. */
    @POST
    @RequiresPermission(value = SYSTEMS_WRITE, everywhere = true)
    public Response createSystem(SystemInput input, @Context Caller caller) {
        ManagedSystem created = admin.create(required(input).toDraft(null, UnaryOperator.identity()), caller);
        return Response.created(URI.create("systems/" + created.slug()))
                .entity(dto(created, caller.scope(SYSTEMS_READ)))
                .build();
    }

    @GET
    @Path("{slug}")
    @RequiresPermission(value = SYSTEMS_READ, system = "slug")
    public SystemDto getSystem(@PathParam("slug") String slug, @Context Caller caller) {
        return dto(systems.get(slug), caller.scope(SYSTEMS_READ));
    }

    /**
     * Replaces a system. Adding explicit members needs write access to them too, and changing the
     * selector write access on the whole instance: either would widen what this system's readers see.
     * The explicit members the caller may not read stay: it was never shown them.
     */
    @PUT
    @Path("{slug}")
    @RequiresPermission(value = SYSTEMS_WRITE, system = "slug")
    public SystemDto replaceSystem(@PathParam("slug") String slug, SystemInput input, @Context Caller caller) {
        Scope readable = caller.scope(SYSTEMS_READ);
        ManagedSystem current = systems.get(slug);
        SystemDraft draft = required(input).toDraft(slug, sent -> SystemViews.replacedMembers(current, sent, readable));
        return dto(admin.update(slug, draft, caller), readable);
    }

    @DELETE
    @Path("{slug}")
    @RequiresPermission(value = SYSTEMS_WRITE, system = "slug")
    public void deleteSystem(@PathParam("slug") String slug, @Context Caller caller) {
        admin.delete(slug, caller);
    }

    @GET
    @Path("{slug}/members")
    @RequiresPermission(value = SYSTEMS_READ, system = "slug")
    public List<MemberDto> listMembers(@PathParam("slug") String slug, @Context Caller caller) {
        Scope readable = caller.scope(SYSTEMS_READ);
        ManagedSystem aggregate = systems.get(slug);
        Set<String> explicit = new HashSet<>(aggregate.members());
        return SystemViews.stillThere(SystemViews.members(systems, slug, readable),
                member -> new MemberDto(member.slug(), member.name(), member.kind(), rolledUp(member.slug()),
                        explicit.contains(member.slug()),
                        aggregate.selector().map(s -> s.matches(member.labels())).orElse(false)));
    }

    @GET
    @Path("{slug}/members/transitive")
    @RequiresPermission(value = SYSTEMS_READ, system = "slug")
    public List<String> listTransitiveMembers(@PathParam("slug") String slug, @Context Caller caller) {
        Scope readable = caller.scope(SYSTEMS_READ);
        return systems.transitiveMembers(slug).stream().filter(readable::includes).toList();
    }

    /** Adds an explicit member, which needs write access to the member too. */
    @PUT
    @Path("{slug}/members/{member}")
    @RequiresPermission(value = SYSTEMS_WRITE, system = "slug")
    public SystemDto addMember(@PathParam("slug") String slug, @PathParam("member") String member,
            @Context Caller caller) {
        return dto(admin.addMember(slug, member, caller), caller.scope(SYSTEMS_READ));
    }

    @DELETE
    @Path("{slug}/members/{member}")
    @RequiresPermission(value = SYSTEMS_WRITE, system = "slug")
    public SystemDto removeMember(@PathParam("slug") String slug, @PathParam("member") String member,
            @Context Caller caller) {
        return dto(admin.removeMember(slug, member, caller), caller.scope(SYSTEMS_READ));
    }

    @GET
    @Path("{slug}/aggregates")
    @RequiresPermission(value = SYSTEMS_READ, system = "slug")
    public List<SystemDto> listAggregates(@PathParam("slug") String slug, @Context Caller caller) {
        Scope readable = caller.scope(SYSTEMS_READ);
        return SystemViews.stillThere(SystemViews.aggregates(systems, slug, readable), system -> dto(system, readable));
    }

    @GET
    @Path("{slug}/status")
    @RequiresPermission(value = SYSTEMS_READ, system = "slug")
    public StatusDto getStatus(@PathParam("slug") String slug, @QueryParam("causes") @DefaultValue("10") int causes,
            @Context Caller caller) {
        if (causes < 1 || causes > MAX_CAUSES) {
            throw new InvalidRequestException("causes must be between 1 and " + MAX_CAUSES + ", not " + causes);
        }
        return StatusDto.of(SystemViews.status(status, slug, causes, caller.scope(SYSTEMS_READ)));
    }

    private SystemDto dto(ManagedSystem system, Scope readable) {
        return SystemDto.of(system, rolledUp(system.slug()), readable);
    }

    private String rolledUp(String slug) {
        return status.rolledUp(slug).label();
    }

    private static SystemInput required(SystemInput input) {
        if (input == null) {
            throw new InvalidRequestException("a JSON system is required");
        }
        return input;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
