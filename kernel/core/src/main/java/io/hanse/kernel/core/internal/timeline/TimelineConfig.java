package io.hanse.kernel.core.internal.timeline;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = TimelineConfig.PID, name = "Hanse timeline",
        description = "Limits and retention of the timeline")
public @interface TimelineConfig {

    String PID = "io.hanse.timeline";

    @AttributeDefinition(description = "Largest event body in bytes; larger appends are refused with 413")
    int maxBodyBytes() default 65_536;

    @AttributeDefinition(description = "How long events are kept, per type: comma-separated entries such as "
            + "'monitoring.result=P30D, deploy.*=P365D, *=P730D'. The most specific entry decides; "
            + "types no entry covers are kept for ever")
    String retention() default "";
}
