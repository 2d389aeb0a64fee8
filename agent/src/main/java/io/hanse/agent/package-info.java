/**
 * The Hanse agent, a standalone program: {@link io.hanse.agent.Main} reads the command line and runs
 * one of the commands in {@code cli}.
 */
package io.hanse.agent;
