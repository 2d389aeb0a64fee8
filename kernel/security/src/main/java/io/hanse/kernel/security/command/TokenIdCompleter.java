package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the ids of tokens not yet revoked: one's own, or everyone's with {@code security:read}. */
@Service
public class TokenIdCompleter extends NameCompleter {

    @Override
    boolean maySee(Caller caller) {
        return caller.mayEverywhere(KernelPermissions.SECURITY_READ)
                || !caller.scope(KernelPermissions.SELF_MANAGE).isEmpty();
    }

    @Override
    List<String> names(Caller caller) {
        // A reader of the security settings sees everyone's tokens (null: no owner given), anyone else their own.
        String owner = caller.mayEverywhere(KernelPermissions.SECURITY_READ) ? null : Callers.self(caller);
        return security.tokens(owner).stream().filter(token -> token.revoked() == null)
                .map(token -> token.id().toString()).toList();
    }
}
