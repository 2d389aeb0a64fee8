package io.hanse.api.rest;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Marks a JAX-RS resource that the kernel serves under {@code /api/v1} while it is registered as
 * an OSGi service of this type. Each resource method declares the permission it needs with
 * {@link io.hanse.api.security.RequiresPermission}, or that anyone may call it with
 * {@link io.hanse.api.security.Public}; a method that declares neither is refused to everyone. A
 * method takes its caller as a {@code @Context io.hanse.api.security.Caller} parameter.
 */
@ConsumerType
public interface RestResource {

    /**
     * The request property that holds the client's address, for a method that records it: read it
     * from a {@code @Context javax.ws.rs.container.ContainerRequestContext}.
     */
    String CLIENT_ADDRESS = "io.hanse.rest.address";
}
