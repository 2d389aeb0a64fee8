/**
 * Agents: what plugins and users may ask of the agents on managed hosts. The server never tells
 * an agent what to run; it may wish for fresh results ({@link io.hanse.api.agent.DesireService})
 * and offer work that an agent with the capability takes under a lease
 * ({@link io.hanse.api.agent.WorkService}).
 * <p>
 * What agents observe arrives on the timeline as events of the type the agent gave, such as
 * {@code inventory.facts}, with the agent as their source; subscribe to the types you understand.
 * A plugin that keeps its own state from a type, as the monitoring plugin does from
 * {@code monitoring.result}, takes that type instead with an
 * {@link io.hanse.api.agent.ObservationHandler}.
 *
 * @since 0.2.0 {@link io.hanse.api.agent.ObservationHandler}, {@link io.hanse.api.agent.AgentObservation}
 */
@Export
@Version("0.3.0")
package io.hanse.api.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
