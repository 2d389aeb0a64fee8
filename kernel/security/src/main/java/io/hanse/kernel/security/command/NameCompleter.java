package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.kernel.security.internal.SecurityManager;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * Completes the names or ids of what the security commands act on, for the shell user who may see
 * them: by default, who holds {@code security:read} on the whole instance. Anyone else gets no
 * completion, so that completion does not reveal what a command would refuse to show.
 */
abstract class NameCompleter implements Completer {

    @Reference
    SecurityManager security;

    @Override
    public final int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Caller caller = security.shellCaller();
        if (!maySee(caller)) {
            return -1;
        }
        return new StringsCompleter(names(caller)).complete(session, commandLine, candidates);
    }

    /** Returns whether the shell user may see the names at all. */
    boolean maySee(Caller caller) {
        return caller.mayEverywhere(KernelPermissions.SECURITY_READ);
    }

    /** Returns the names the shell user may see; called only if {@link #maySee(Caller)}. */
    abstract List<String> names(Caller caller);
}
