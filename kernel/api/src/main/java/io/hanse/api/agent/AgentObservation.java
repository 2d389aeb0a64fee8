package io.hanse.api.agent;

import io.hanse.api.timeline.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One observation an agent sent, as the kernel hands it to the {@link ObservationHandler} of its
 * type: checked for form, size and the agent's scope, not yet stored.
 *
 * @param id the observation's identity, stable across the agent's retries: the same id means the
 *     same observation sent again. It ends in {@code :<seq>}, the observation's place in its agent's
 *     sequence, by which a handler that refuses it names it: {@code observation seq <seq>: …}, as
 *     the agent protocol says
 * @param source the agent, as it appears on the timeline
 * @param type the observation's type, such as {@code monitoring.result}
 * @param system the slug of an existing system the agent may report on
 * @param time when the agent observed it; never more than {@link #MAX_AHEAD} ahead of the server's clock
 * @param body a JSON object of at most 64 KiB, whose schema the type owns
 */
public record AgentObservation(String id, Source source, String type, String system, Instant time, String body) {

    /**
     * How far ahead of the server's clock an observation's time may be, for agents whose clocks run
     * a little ahead: five minutes.
     *
     * @since 0.3.0
     */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    public AgentObservation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(body, "body");
    }
}
