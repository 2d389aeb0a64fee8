/**
 * The durable spool: every observation is written and forced to disk before it counts as taken, with
 * the identity (boot epoch, sequence number) it keeps through any number of resends, and leaves the
 * spool only once the server has committed it.
 */
package io.hanse.agent.spool;
