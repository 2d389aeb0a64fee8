/** Inventory facts about the host the agent runs on, for {@code inventory.facts} observations. */
package io.hanse.agent.facts;
