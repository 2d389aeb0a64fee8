package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.security.internal.SecurityManager.Token;
import java.util.UUID;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "token-revoke", description = "Revokes an API token: it stops working at "
        + "once. Revoking someone else's token needs " + KernelPermissions.SECURITY_WRITE + " and, on the whole "
        + "instance, every permission that user holds.")
@Service
@RequiresPermission(KernelPermissions.SELF_MANAGE)
public class TokenRevokeCommand extends SecurityCommand {

    @Argument(index = 0, name = "id", description = "The token's id, as security:token-list shows it",
            required = true)
    @Completion(TokenIdCompleter.class)
    String id;

    @Override
    protected Object execute(Caller caller) {
        UUID token = UnbindCommand.uuid(id, "token");
        Token before = security.token(token);
        Callers.actingOn(caller, before.user(), KernelPermissions.SECURITY_WRITE);
        if (before.revoked() != null) {
            out().println("Token '" + before.name() + "' of " + before.user() + " was already revoked at "
                    + ShellText.time(before.revoked()));
            return null;
        }
        security.revokeToken(token, caller);
        out().println("Revoked token '" + before.name() + "' of " + before.user());
        return null;
    }
}
