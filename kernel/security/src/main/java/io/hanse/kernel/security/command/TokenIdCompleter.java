package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.kernel.security.internal.SecurityManager;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the ids of tokens not yet revoked: one's own, or everyone's with {@code security:read}. */
@Service
public class TokenIdCompleter implements Completer {

    @Reference
    SecurityManager security;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Caller caller = security.shellCaller();
        List<SecurityManager.Token> tokens;
        if (caller.mayEverywhere(KernelPermissions.SECURITY_READ)) {
            tokens = security.tokens(null);
        } else if (!caller.scope(KernelPermissions.SELF_MANAGE).isEmpty()) {
            tokens = security.tokens(Callers.self(caller));
        } else {
            return -1;
        }
        List<String> ids = tokens.stream().filter(token -> token.revoked() == null)
                .map(token -> token.id().toString()).toList();
        return new StringsCompleter(ids).complete(session, commandLine, candidates);
    }
}
