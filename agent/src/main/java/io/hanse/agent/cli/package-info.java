/** The agent's commands: {@code enroll}, {@code run}, {@code status}, {@code check-now} and {@code validate-config}. */
package io.hanse.agent.cli;
