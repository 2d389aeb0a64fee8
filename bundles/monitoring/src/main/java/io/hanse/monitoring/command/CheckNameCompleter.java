package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.SecurityService;
import io.hanse.monitoring.internal.CheckState;
import io.hanse.monitoring.internal.Checks;
import io.hanse.monitoring.internal.MonitoringPermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * Completes the names of checks: those of the system named earlier on the command line, or, before
 * one is, those of every system the shell user may read. A system the user may not read
 * ({@code monitoring:read}) is as one without checks, named or not: its checks are never offered,
 * as {@code monitoring:problems} would not show them, and naming it tells nothing of it.
 */
@Service
public class CheckNameCompleter implements Completer {

    @Reference
    Checks checks;

    @Reference
    SecurityService security;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Caller caller = security.shellCaller();
        // Only those the user may read: one it may not is as one that does not exist, also when named.
        Set<String> systems = checks.systems().stream().filter(system -> caller.may(MonitoringPermissions.READ, system))
                .collect(Collectors.toSet());
        // The last word before the cursor that is such a system; option values are not.
        List<String> before = Arrays.asList(commandLine.getArguments()).subList(0,
                Math.max(0, commandLine.getCursorArgumentIndex()));
        List<String> named = before.stream().filter(systems::contains).toList();
        Set<String> names = new TreeSet<>();
        for (String system : named.isEmpty() ? systems : Set.of(named.get(named.size() - 1))) {
            checks.of(system).stream().map(CheckState::check).forEach(names::add);
        }
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
