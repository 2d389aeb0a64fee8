/**
 * The agent as a daemon ({@code hanse-agent run}): check scheduling, the sender that empties the
 * spool, the heartbeat, the desires long poll and the work claimer, each on its own thread.
 */
package io.hanse.agent.daemon;
