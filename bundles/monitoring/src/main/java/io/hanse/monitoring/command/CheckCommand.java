package io.hanse.monitoring.command;

import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.SystemSlugCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

/** A command about one check, named by its system and its name, the first two arguments. */
abstract class CheckCommand extends SecuredAction {

    @Argument(index = 0, name = "system", description = "The system's slug", required = true)
    @Completion(SystemSlugCompleter.class)
    String system;

    @Argument(index = 1, name = "check", description = "The check's name", required = true)
    @Completion(CheckNameCompleter.class)
    String check;
}
