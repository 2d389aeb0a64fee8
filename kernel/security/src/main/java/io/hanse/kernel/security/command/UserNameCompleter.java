package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.kernel.security.internal.SecurityManager;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the names of users and service principals, for shell users who may see them ({@code security:read}). */
@Service
public class UserNameCompleter extends NameCompleter {

    @Override
    List<String> names(Caller caller) {
        return security.users().stream().map(SecurityManager.User::name).toList();
    }
}
