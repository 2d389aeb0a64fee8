package io.hanse.monitoring.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.monitoring.internal.MonitoringPermissions;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "monitoring", name = "review-show", description = "Shows a review's latest pass, in progress or"
        + " closed, or with --pass one before: its items grouped, each with its check's record, what the passes"
        + " before made of it and its mark.")
@Service
@RequiresPermission(MonitoringPermissions.READ)
public class ReviewShowCommand extends ReviewCommand {

    @Option(name = "--pass", description = "The number of the pass to show, as monitoring:review-passes lists them")
    Integer pass;

    @Override
    protected Object execute(Caller caller) {
        if (pass == null) {
            print(caller, reviews.show(caller, review));
        } else {
            print(caller, reviews.pass(caller, review, pass));
        }
        return null;
    }
}
