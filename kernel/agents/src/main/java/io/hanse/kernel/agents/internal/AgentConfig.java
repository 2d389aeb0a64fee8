package io.hanse.kernel.agents.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How agents are heard and handled, from {@code etc/io.hanse.agents.cfg}. */
@ObjectClassDefinition(id = AgentConfig.PID, name = "Hanse agents")
public @interface AgentConfig {

    String PID = "io.hanse.agents";

    @AttributeDefinition(description = "How often agents send a heartbeat, in seconds; told to each agent")
    int heartbeatSeconds() default 30;

    @AttributeDefinition(description = "How long an agent may be silent before it is lost, in seconds")
    int ttlSeconds() default 90;

    @AttributeDefinition(description = "The most observations one request may carry")
    int maxBatch() default 1000;

    @AttributeDefinition(description = "The most batches taken in at once; past it, a batch is answered 503 with"
            + " Retry-After, so that a plugin or a database that stops answering cannot hold every HTTP thread")
    int maxConcurrentBatches() default 64;

    @AttributeDefinition(description = "The most desires kept for one agent until it asks; the oldest go first")
    int maxDesiresPerAgent() default 100;

    @AttributeDefinition(description = "The most long polls for desires held open at once; past it, a poll"
            + " with no desire waiting is answered 503 with Retry-After of about its wait")
    int maxLongPolls() default 10000;
}
