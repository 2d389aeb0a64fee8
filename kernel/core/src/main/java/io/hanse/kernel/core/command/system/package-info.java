/**
 * The {@code system:*} shell commands: list, show and change systems and their members.
 * <p>
 * Commands let {@link io.hanse.api.HanseException}s propagate: {@link io.hanse.api.shell.SecuredAction}
 * has Karaf print their message, without logging a stack trace.
 */
package io.hanse.kernel.core.command.system;
