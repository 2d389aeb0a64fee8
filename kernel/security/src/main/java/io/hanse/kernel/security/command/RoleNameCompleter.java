package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.kernel.security.internal.SecurityManager;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the names of roles, built-in and defined, for shell users who may see them ({@code security:read}). */
@Service
public class RoleNameCompleter extends NameCompleter {

    @Override
    List<String> names(Caller caller) {
        return security.roles().stream().map(SecurityManager.Role::name).toList();
    }
}
