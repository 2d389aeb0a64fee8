package io.hanse.api.rest;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Marks a JAX-RS resource that the kernel serves under {@code /api/v1} while it is registered as
 * an OSGi service of this type.
 */
@ConsumerType
public interface RestResource {
}
