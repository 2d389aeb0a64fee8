package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.Permission;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the names of the declared permissions, for shell users who may see them ({@code security:read}). */
@Service
public class PermissionNameCompleter extends NameCompleter {

    @Override
    List<String> names(Caller caller) {
        return security.permissions().stream().map(Permission::name).toList();
    }
}
