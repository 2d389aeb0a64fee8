package io.hanse.kernel.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = InstanceConfig.PID, name = "Hanse instance",
        description = "Who this instance is.")
@interface InstanceConfig {

    String PID = "io.hanse.instance";

    @AttributeDefinition(description = "Instance name: lower-case letters, digits and dashes, at most 63."
            + " Empty keeps the stored name, or on first start takes the host name.")
    String name() default "";
}
