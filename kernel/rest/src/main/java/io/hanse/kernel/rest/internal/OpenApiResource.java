package io.hanse.kernel.rest.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import io.hanse.api.security.Public;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI description of every endpoint of the application
 * it belongs to, itself included. Each application gets its own, so the description changes
 * whenever resources come and go; it is built on the first request and kept.
 */
@Path("openapi.json")
public final class OpenApiResource {

    private static final String API_VERSION = "v1";

    private final List<Class<?>> resourceClasses;
    private ObjectNode document; // guarded by this

    /** @param resources the other resources of the application */
    OpenApiResource(Collection<?> resources) {
        this.resourceClasses = Stream.concat(resources.stream().map(Object::getClass), Stream.of(OpenApiResource.class))
                .toList();
    }

    @GET
    @Public
    @Produces(MediaType.APPLICATION_JSON)
    public synchronized ObjectNode describeEndpoints() {
        if (document == null) {
            document = OpenApiDocument.describe(API_VERSION, RestServer.BASE, resourceClasses);
        }
        return document;
    }
}
