/** The monitoring plugin's shell commands, scope {@code monitoring}. */
package io.hanse.monitoring.command;
