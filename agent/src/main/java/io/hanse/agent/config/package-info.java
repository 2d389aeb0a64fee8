/**
 * The agent's local configuration, {@code /etc/hanse-agent/agent.conf}: reading it, checking every
 * key and naming each problem. The configuration is the only place commands come from.
 */
package io.hanse.agent.config;
