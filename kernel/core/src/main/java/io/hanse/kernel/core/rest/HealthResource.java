package io.hanse.kernel.core.rest;

import static io.hanse.api.security.KernelPermissions.INSTANCE_READ;

import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Public;
import io.hanse.api.security.RequiresPermission;
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
 * {@code GET /api/v1/health}: 200 when this instance is fully working, 503 when not, with whether
 * each check is up or down and nothing else. Public, for load balancers and probes: the reasons (a
 * database's error, which may name its host, user or schema; a component's failure) are only in
 * {@code GET /api/v1/health/details}, for callers who may see the instance ({@code instance:read}).
 */
@Component(service = RestResource.class)
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource implements RestResource {

    private static final String UP = "up";
    private static final String DOWN = "down";

    private final HealthCheck healthCheck;

    @Activate
    public HealthResource(@Reference HealthCheck healthCheck) {
        this.healthCheck = healthCheck;
    }

    @GET
    @Public
    public Response health() {
        Health health = healthCheck.check();
        return answer(health, HealthDto.of(health));
    }

    /**
     * The same as {@link #health()}, with the version, the instance and the reasons for what is down:
     * for callers holding {@code instance:read} on the whole instance, which belongs to no system.
     */
    @GET
    @Path("details")
    @RequiresPermission(value = INSTANCE_READ, everywhere = true)
    public Response details() {
        Health health = healthCheck.check();
        return answer(health, HealthDetailsDto.of(health));
    }

    private static Response answer(Health health, Object entity) {
        return Response.status(health.up() ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
                .entity(entity).build();
    }

    private static String upOrDown(boolean up) {
        return up ? UP : DOWN;
    }

    /** The public health document: whether each check is up, never why not; field names are part of the REST API. */
    record HealthDto(String status, ChecksDto checks) {

        static HealthDto of(Health health) {
            return new HealthDto(upOrDown(health.up()), ChecksDto.of(health));
        }
    }

    /**
     * Each check: the database answers, this instance is known (it is read from the database), and
     * every Hanse bundle and component works.
     */
    record ChecksDto(String database, String instance, String components) {

        static ChecksDto of(Health health) {
            return new ChecksDto(upOrDown(health.database().reachable()), upOrDown(health.instance() != null),
                    upOrDown(health.problems().isEmpty()));
        }
    }

    /**
     * The health document with what only callers who may see the instance see: the version, the instance
     * and why each check is down, and the configuration values not allowed, which leave it up; field
     * names are part of the REST API.
     */
    record HealthDetailsDto(String status, ChecksDto checks, String version, InstanceDto instance,
            DatabaseDto database, List<String> problems, List<String> configuration) {

        static HealthDetailsDto of(Health health) {
            return new HealthDetailsDto(upOrDown(health.up()), ChecksDto.of(health), health.version(),
                    health.instance() == null ? null
                            : new InstanceDto(health.instance().id(), health.instance().name()),
                    new DatabaseDto(health.database().kind(), health.database().reachable(),
                            health.database().problem()),
                    health.problems(), health.configuration());
        }
    }

    record InstanceDto(String id, String name) {
    }

    record DatabaseDto(String kind, boolean reachable, String problem) {
    }
}
