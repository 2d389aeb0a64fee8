package io.hanse.kernel.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = RestConfig.PID, name = "Hanse REST API",
        description = "Limits of the REST API under /api/v1. Its address and port are those of the"
                + " HTTP service (etc/org.ops4j.pax.web.cfg).")
@interface RestConfig {

    String PID = "io.hanse.rest";
    /** The least maxBodyBytes taken; RestServer refuses to start below it. */
    int MIN_BODY_BYTES = 1024;

    @AttributeDefinition(description = "Largest request body accepted, in bytes, at least 1024; larger ones"
            + " get 413.", min = "" + MIN_BODY_BYTES)
    int maxBodyBytes() default 1024 * 1024;
}
