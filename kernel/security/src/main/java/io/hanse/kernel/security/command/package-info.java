/**
 * The {@code security:*} shell commands (users, SSH keys, groups, roles, role bindings and API
 * tokens) and the audit log's {@code hanse:audit} and {@code hanse:audit-verify}.
 * <p>
 * Every command extends {@link io.hanse.api.shell.SecuredAction} and declares the permission it
 * needs. Users, groups, roles and the audit log belong to no system, so those commands need their
 * permission on the whole instance ({@code everywhere = true}). A user acts on their own password
 * and tokens with {@code self:manage} held anywhere; acting on someone else's needs
 * {@code security:write} (or {@code security:read} to list them) on the whole instance, checked
 * when the command runs. Every change is made in the caller's name, so the audit log
 * records who made it.
 * <p>
 * Commands that act through the security manager extend {@code SecurityCommand}; listing
 * commands extend its {@code ListCommand}, which prints a table or, with {@code --json}, a JSON
 * array. Completers of names and ids extend {@code NameCompleter}, which completes nothing for a
 * shell user who may not see them.
 * <p>
 * Passwords are read from the console with a mask, never echoed; an API token is shown once, when
 * it is created. Commands let {@link io.hanse.api.HanseException}s propagate:
 * {@link io.hanse.api.shell.SecuredAction} has Karaf print their message, without logging a stack trace.
 */
package io.hanse.kernel.security.command;
