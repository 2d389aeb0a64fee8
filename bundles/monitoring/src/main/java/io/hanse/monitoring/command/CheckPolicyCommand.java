package io.hanse.monitoring.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.monitoring.internal.Checks;
import io.hanse.monitoring.internal.MonitoringPermissions;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "check-policy", description = "Sets after how many failing results in a row a"
        + " check's problem is hard, whatever its agent says; --clear leaves it to the agent again. Takes effect"
        + " with the check's next result.")
@Service
@RequiresPermission(MonitoringPermissions.CONFIGURE)
public class CheckPolicyCommand extends CheckCommand {

    @Option(name = "--max-attempts", description = "After how many failing results in a row a problem is hard, 1 to"
            + " 100")
    Integer maxAttempts;

    @Option(name = "--clear", description = "Remove the policy: the agent's max attempts count, else the"
            + " configuration's")
    boolean clear;

    @Reference
    Checks checks;

    @Override
    protected Object execute(Caller caller) {
        if (clear == (maxAttempts != null)) {
            throw new InvalidRequestException(clear ? "give --max-attempts or --clear, not both"
                    : "give --max-attempts or --clear");
        }
        if (clear) {
            checks.setMaxAttempts(caller, system, check, 0);
            out().println("Cleared the policy of " + system + "/" + check + ": its agent's max attempts count,"
                    + " else the configuration's");
            return null;
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new InvalidRequestException("--max-attempts: between 1 and 100, not " + maxAttempts
                    + "; --clear leaves it to the agent");
        }
        checks.setMaxAttempts(caller, system, check, maxAttempts);
        out().println("A problem of " + system + "/" + check + " is hard after " + maxAttempts
                + (maxAttempts == 1 ? " failing result" : " failing results in a row") + ", from its next result on");
        return null;
    }
}
