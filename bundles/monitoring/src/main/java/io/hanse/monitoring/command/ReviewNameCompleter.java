package io.hanse.monitoring.command;

import io.hanse.api.security.SecurityService;
import io.hanse.monitoring.internal.Reviews;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * Completes the names of the reviews the shell user may see, as {@code monitoring:review-list} lists
 * them, so that completion reveals no review a command would not show.
 */
@Service
public class ReviewNameCompleter implements Completer {

    @Reference
    SecurityService security;

    @Reference
    Reviews reviews;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(reviews.names(security.shellCaller())).complete(session, commandLine, candidates);
    }
}
