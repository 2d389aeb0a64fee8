package io.hanse.kernel.security.command;

import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.security.internal.SecurityManager;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** A {@code security:*} command: a {@link SecuredAction} that acts through the security manager. */
abstract class SecurityCommand extends SecuredAction {

    @Reference
    SecurityManager security;
}
