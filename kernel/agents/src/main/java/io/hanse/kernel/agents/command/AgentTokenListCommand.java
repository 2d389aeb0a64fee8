package io.hanse.kernel.agents.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.security.AgentIdentities;
import io.hanse.kernel.security.AgentIdentities.Enrollment;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "agent", name = "token-list", description = "Lists enrollment tokens, newest first: for which "
        + "agent and systems, and whether each is unused, used or expired. Never shows a token itself.")
@Service
@RequiresPermission(KernelPermissions.AGENTS_READ)
public class AgentTokenListCommand extends SecuredAction {

    @Reference
    AgentIdentities identities;

    @Override
    protected Object execute(Caller caller) {
        Instant now = Instant.now();
        ShellTable table = new ShellTable().emptyTableText("No enrollment tokens");
        table.column("Id");
        table.column("Agent");
        table.column("Systems").maxSize(50);
        table.column("Created by");
        table.column("Expires");
        table.column("State");
        for (Enrollment enrollment : identities.enrollments(caller)) {
            String state = enrollment.used() != null ? "used " + ShellText.time(enrollment.used())
                    : enrollment.expires().isBefore(now) ? "expired" : "unused";
            table.addRow().addContent(enrollment.id(), enrollment.agent(), ShellText.list(enrollment.systems()),
                    enrollment.createdBy(), ShellText.time(enrollment.expires()), state);
        }
        table.print(out());
        return null;
    }
}
