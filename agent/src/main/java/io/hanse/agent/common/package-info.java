/** What every part of the agent shares: the log, text limits, JSON and durable writes to the state directory. */
package io.hanse.agent.common;
