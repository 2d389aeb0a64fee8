/** The {@code agent} shell scope: enrollment tokens, agents, desires and work items. */
package io.hanse.kernel.agents.command;
