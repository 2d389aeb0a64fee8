/**
 * Agents: what plugins and users may ask of the agents on managed hosts. The server never tells
 * an agent what to run; it may wish for fresh results ({@link io.hanse.api.agent.DesireService})
 * and offer work that an agent with the capability takes under a lease
 * ({@link io.hanse.api.agent.WorkService}).
 * <p>
 * What agents observe arrives on the timeline as events of the type the agent gave, such as
 * {@code monitoring.result} or {@code inventory.facts}, with the agent as their source; subscribe
 * to the types you understand.
 */
@Export
@Version("0.1.0")
package io.hanse.api.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
