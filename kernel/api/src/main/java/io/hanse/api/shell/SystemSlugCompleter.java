package io.hanse.api.shell;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.SecurityService;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * Completes the slugs of existing systems the shell user may read ({@code systems:read}), so that
 * completion reveals no system a command would not show. A command takes it for an argument or
 * option that names a system: {@code @Completion(SystemSlugCompleter.class)}.
 */
@Service
public class SystemSlugCompleter implements Completer {

    @Reference
    SystemService systems;

    @Reference
    SecurityService security;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Caller caller = security.shellCaller();
        List<String> slugs = systems.list(null, null).stream().map(ManagedSystem::slug)
                .filter(slug -> caller.may(KernelPermissions.SYSTEMS_READ, slug)).toList();
        return new StringsCompleter(slugs).complete(session, commandLine, candidates);
    }
}
