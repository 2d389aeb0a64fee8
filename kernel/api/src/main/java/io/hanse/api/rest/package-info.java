/**
 * How bundles add endpoints to the Hanse REST API.
 * <p>
 * A bundle registers an object whose class carries JAX-RS annotations as an OSGi service of type
 * {@link io.hanse.api.rest.RestResource}. The kernel serves it under {@code /api/v1} while the
 * service is registered, so installing a plugin feature adds its endpoints and uninstalling it
 * removes them, without restarting anything else. Paths are relative to {@code /api/v1}; a plugin
 * uses its own first segment, such as {@code @Path("example")}.
 * <p>
 * Request and response bodies are JSON, written and read by Jackson from plain records. Errors
 * are thrown as {@link io.hanse.api.HanseException} subtypes and reach the client as RFC 9457
 * {@code application/problem+json}.
 */
@Export
@Version("0.5.0")
package io.hanse.api.rest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
