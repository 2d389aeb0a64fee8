package io.hanse.kernel.security.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.security.internal.SecurityManager.Token;
import java.time.Instant;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "security", name = "token-list", description = "Lists your API tokens, newest first, or with "
        + "--user or --all someone else's. Never shows a token itself: that is shown once, when it is created.")
@Service
@RequiresPermission(KernelPermissions.SELF_MANAGE)
public class TokenListCommand extends ListCommand<Token> {

    @Option(name = "--user", description = "Lists this user's tokens instead of yours; needs "
            + KernelPermissions.SECURITY_READ)
    @Completion(UserNameCompleter.class)
    String user;

    @Option(name = "--all", description = "Lists everyone's tokens; needs " + KernelPermissions.SECURITY_READ)
    boolean all;

    public TokenListCommand() {
        super(tokens -> table(tokens, Instant.now()));
    }

    @Override
    List<Token> rows(Caller caller) {
        if (all && user != null) {
            throw new InvalidRequestException("give --user or --all, not both");
        }
        if (all) {
            caller.require(KernelPermissions.SECURITY_READ);
            return security.tokens(null);
        }
        return security.tokens(Callers.actingOn(caller, user, KernelPermissions.SECURITY_READ));
    }

    static ShellTable table(List<Token> tokens, Instant now) {
        ShellTable table = new ShellTable().emptyTableText("No API tokens");
        table.column("Id");
        table.column("Name").maxSize(40);
        table.column("User");
        table.column("Roles").maxSize(40);
        table.column("Systems").maxSize(40);
        table.column("Expires");
        table.column("State");
        for (Token token : tokens) {
            table.addRow().addContent(token.id(), token.name(), token.user(), limit(token.roles(), "all"),
                    limit(token.systems(), "all"), ShellText.time(token.expires()), state(token, now));
        }
        return table;
    }

    /**
     * Returns the roles or systems a token is limited to, joined by commas; {@code everything} for
     * {@code null}, which means no limit.
     */
    static String limit(List<String> values, String everything) {
        return values == null ? everything : ShellText.list(values);
    }

    /** Returns whether a token works now: {@code active}, {@code expired} or {@code revoked}. */
    static String state(Token token, Instant now) {
        if (token.revoked() != null) {
            return "revoked";
        }
        return token.expires() != null && !now.isBefore(token.expires()) ? "expired" : "active";
    }
}
