/**
 * The {@code system:*} shell commands: list, show and change systems and their members.
 * <p>
 * Commands let {@link io.hanse.api.HanseException}s propagate: Karaf prints their message as
 * {@code Error executing command: <message>}, without a stack trace.
 */
package io.hanse.kernel.core.command.system;
