package io.hanse.kernel.security.command;

import io.hanse.api.security.KernelPermissions;
import io.hanse.kernel.security.internal.SecurityManager;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the ids of role bindings, for shell users who may see them ({@code security:read}). */
@Service
public class BindingIdCompleter implements Completer {

    @Reference
    SecurityManager security;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        if (!security.shellCaller().mayEverywhere(KernelPermissions.SECURITY_READ)) {
            return -1;
        }
        List<String> names = security.bindings().stream().map(binding -> binding.id().toString()).toList();
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
