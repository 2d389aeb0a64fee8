package io.hanse.api.agent;

import io.hanse.api.InvalidRequestException;
import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Takes agents' observations of its types in place of the timeline: a plugin that keeps its own
 * state from them, such as the monitoring plugin from check results, which would flood the
 * timeline if every result were an event. Register an implementation as an OSGi service; while it
 * is registered, observations of its types reach it and no longer the timeline. While its bundle is
 * installed but it is not registered (stopped, restarting, or not started yet as the container
 * starts), agents are answered 503 for its types, so that they keep them and send them again; once
 * its bundle is uninstalled, or its bundle's handlers no longer name a type, that type goes on the
 * timeline again. One handler per type: when two name the
 * same type, the first one registered keeps it.
 * <p>
 * A batch an agent sends is taken whole or not at all: the kernel hands the handler its part of
 * the batch before it stores the rest, and answers the agent only when both returned. An agent
 * sends a batch again until it is answered, so a handler must take each observation idempotently
 * by its {@link AgentObservation#id() id}.
 */
@ConsumerType
public interface ObservationHandler {

    /**
     * Returns the observation types this handler takes: exact types such as
     * {@code monitoring.result}, or a whole namespace such as {@code monitoring.*}, which keeps
     * agents from putting events of the plugin's own types on the timeline. An exact type wins over
     * a namespace.
     */
    Set<String> types();

    /**
     * Takes observations of this handler's types from one batch, in the order the agent sent them,
     * and stores them durably before it returns.
     *
     * @return how many of them were new; the rest had been taken before
     * @throws InvalidRequestException if one is malformed, naming it: the whole batch is refused
     *     and the agent is told why
     */
    int accept(List<AgentObservation> observations);
}
