package io.hanse.kernel.security.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.kernel.security.internal.SecurityManager.IssuedToken;
import io.hanse.kernel.security.internal.SecurityManager.Token;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "token-create", description = "Creates an API token for yourself, or with "
        + "--user for someone else, and prints it once: it is not stored and cannot be shown again. Programs "
        + "send it as 'Authorization: Bearer <token>'.")
@Service
@RequiresPermission(KernelPermissions.SELF_MANAGE)
public class TokenCreateCommand extends SecurityCommand {

    @Argument(index = 0, name = "name", description = "What the token is for, such as 'deploy pipeline'; "
            + "unique per user", required = true)
    String name;

    @Option(name = "--user", description = "Creates the token for this user instead of yourself; needs "
            + KernelPermissions.SECURITY_WRITE + " and every permission the user holds, on the whole instance")
    @Completion(UserNameCompleter.class)
    String user;

    @Option(name = "--role", description = "Limits the token to this role of the user's; repeat for more; all "
            + "the user's roles if not given", multiValued = true)
    @Completion(RoleNameCompleter.class)
    List<String> roles;

    @Option(name = "--system", description = "Limits the token to this system and what it aggregates; repeat "
            + "for more; every system if not given", multiValued = true)
    @Completion(SystemSlugCompleter.class)
    List<String> systems;

    @Option(name = "--expires-in", description = "How long the token lives, as an ISO-8601 duration such as "
            + "P30D or PT12H; the configured default (90 days unless changed) if not given")
    String expiresIn;

    @Override
    protected Object execute(Caller caller) {
        String owner = Callers.actingOn(caller, user, KernelPermissions.SECURITY_WRITE);
        IssuedToken issued = security.createToken(caller, owner, name, set(roles), set(systems),
                lifetime(expiresIn));
        out().println(issued(issued));
        return null;
    }

    /**
     * Parses {@code --expires-in}.
     *
     * @return the lifetime, or {@code null} for the default
     * @throws InvalidRequestException if it is not an ISO-8601 duration
     */
    static Duration lifetime(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("--expires-in takes an ISO-8601 duration such as P30D (30 days) or "
                    + "PT12H (12 hours), not '" + text + "'");
        }
    }

    /** Returns the values of a list option as a set; {@code null}, no limit, if the option was not given. */
    static Set<String> set(List<String> values) {
        return values == null ? null : new LinkedHashSet<>(values);
    }

    /** Returns what the shell prints about a new token: the only place its secret is ever shown. */
    static String issued(IssuedToken issued) {
        Token token = issued.token();
        return "Created API token '" + token.name() + "' for " + token.user() + " (id " + token.id() + ")"
                + System.lineSeparator()
                + "Roles: " + TokenListCommand.limit(token.roles(), "all of " + token.user() + "'s")
                + "; systems: " + TokenListCommand.limit(token.systems(), "all")
                + "; expires " + (token.expires() == null ? "never" : ShellText.time(token.expires()))
                + System.lineSeparator() + System.lineSeparator()
                + "    " + issued.secret()
                + System.lineSeparator() + System.lineSeparator()
                + "Copy the token now: it is not stored and will not be shown again.";
    }
}
