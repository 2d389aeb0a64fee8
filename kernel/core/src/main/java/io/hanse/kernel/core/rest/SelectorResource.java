package io.hanse.kernel.core.rest;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.security.Scope;
import io.hanse.api.rest.RestResource;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemService;
import io.hanse.kernel.core.rest.SystemDtos.SelectorPreviewDto;
import java.util.List;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /api/v1/selectors}: label selectors, tried out before they are saved on an aggregate. */
@Component(service = RestResource.class)
@Path("selectors")
@Produces(MediaType.APPLICATION_JSON)
public final class SelectorResource implements RestResource {

    private final SystemService systems;

    @Activate
    public SelectorResource(@Reference SystemService systems) {
        this.systems = systems;
    }

    /** Shows a selector in its canonical form and which systems it would choose. */
    @GET
    @Path("preview")
    @RequiresPermission(SYSTEMS_READ)
    public SelectorPreviewDto previewSelector(@QueryParam("selector") String selector,
            @QueryParam("limit") @DefaultValue("100") int limit, @Context Caller caller) {
        if (selector == null) {
            throw new InvalidRequestException("query parameter selector is required");
        }
        if (limit < 0 || limit > 1_000) {
            throw new InvalidRequestException("limit must be between 0 and 1000, not " + limit);
        }
        Selector parsed = Selector.parse(selector);
        Scope readable = caller.scope(SYSTEMS_READ);
        List<String> slugs = systems.list(null, parsed).stream().map(ManagedSystem::slug).filter(readable::includes)
                .toList();
        return new SelectorPreviewDto(parsed.toString(), slugs.size(), slugs.subList(0, Math.min(limit, slugs.size())));
    }
}
