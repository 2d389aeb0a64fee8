package io.hanse.kernel.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = RestConfig.PID, name = "Hanse REST API",
        description = "Limits of the REST API under /api/v1. Its address and port are those of the"
                + " HTTP service (etc/org.ops4j.pax.web.cfg).")
@interface RestConfig {

    String PID = "io.hanse.rest";
    /** The least maxBodyBytes taken; RestServer uses the default instead of a smaller one. */
    int MIN_BODY_BYTES = 1024;

    @AttributeDefinition(description = "Largest request body accepted, in bytes, at least 1024; larger ones"
            + " get 413.", min = "" + MIN_BODY_BYTES)
    int maxBodyBytes() default 1024 * 1024;

    @AttributeDefinition(description = "The proxies in front of Hanse whose X-Forwarded-For names the client that"
            + " logins are throttled and audited by: comma-separated IP addresses and ranges such as 127.0.0.1 or"
            + " 10.0.0.0/8; empty, the default, believes no one's")
    String trustedProxies() default "";
}
