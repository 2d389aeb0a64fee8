package io.hanse.kernel.core.rest;

import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Public;
import io.hanse.kernel.core.internal.Health;
import io.hanse.kernel.core.internal.HealthCheck;
import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/v1/health}: 200 when this instance is fully working, 503 with the reasons when not.
 * Public, for load balancers and probes; it shows nothing secret.
 */
@Component(service = RestResource.class)
@Path("health")
public final class HealthResource implements RestResource {

    private final HealthCheck healthCheck;

    @Activate
    public HealthResource(@Reference HealthCheck healthCheck) {
        this.healthCheck = healthCheck;
    }

    @GET
    @Public
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        Health health = healthCheck.check();
        return Response.status(health.up() ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
                .entity(HealthDto.of(health))
                .build();
    }

    /** The health document; field names are part of the REST API. */
    record HealthDto(String status, String version, InstanceDto instance, DatabaseDto database,
            List<String> problems) {

        static HealthDto of(Health health) {
            return new HealthDto(health.up() ? "up" : "down", health.version(),
                    health.instance() == null ? null
                            : new InstanceDto(health.instance().id(), health.instance().name()),
                    new DatabaseDto(health.database().kind(), health.database().reachable(),
                            health.database().problem()),
                    health.problems());
        }
    }

    record InstanceDto(String id, String name) {
    }

    record DatabaseDto(String kind, boolean reachable, String problem) {
    }
}
