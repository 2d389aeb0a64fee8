package io.hanse.kernel.federation.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How this instance federates, from {@code etc/io.hanse.federation.cfg}. */
@ObjectClassDefinition(id = FederationConfig.PID, name = "Hanse federation")
public @interface FederationConfig {

    String PID = "io.hanse.federation";

    @AttributeDefinition(description = "The base URL peers reach this instance at, such as"
            + " https://hanse.example.org; written into invitations. Empty: http://127.0.0.1 and the HTTP port")
    String url() default "";

    @AttributeDefinition(description = "How long an invitation stays valid when its creator does not say, in hours;"
            + " at most 168 (7 days)", min = "1", max = "168")
    int invitationHours() default 24;

    @AttributeDefinition(description = "The most messages one peer's outbox holds; a peer that falls further"
            + " behind gets a resynchronisation: a snapshot of what it is granted, then live again")
    int outboxLimit() default 1_000_000;

    @AttributeDefinition(description = "The largest frame sent or accepted, in bytes")
    int maxFrameBytes() default 1_048_576;

    @AttributeDefinition(description = "The most messages one frame carries")
    int maxBatch() default 500;

    @AttributeDefinition(description = "The longest wait between attempts to reach a peer that this instance"
            + " dials, in seconds; attempts start after 1 s and double up to this")
    int maxRetrySeconds() default 30;

    @AttributeDefinition(description = "How long a peer may be without a link, in seconds, before each of its"
            + " systems here is reported unknown (by the status contributor peer-link) until the link is back; at"
            + " least 10", min = "10")
    int unlinkedSeconds() default 120;
}
