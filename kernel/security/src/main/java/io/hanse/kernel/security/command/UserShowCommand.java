package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.security.internal.SecurityManager;
import io.hanse.kernel.security.internal.SecurityManager.Binding;
import io.hanse.kernel.security.internal.SecurityManager.Key;
import io.hanse.kernel.security.internal.SecurityManager.Token;
import io.hanse.kernel.security.internal.SecurityManager.User;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "security", name = "user-show", description = "Shows a user: who it is, its groups, the "
        + "role bindings that apply to it (its own and its groups'), its SSH keys and its API tokens.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_READ, everywhere = true)
public class UserShowCommand extends SecuredAction {

    @Argument(index = 0, name = "name", description = "The user", required = true)
    @Completion(UserNameCompleter.class)
    String name;

    @Reference
    SecurityManager security;

    @Override
    protected Object execute(Caller caller) {
        PrintStream out = System.out;
        User user = security.user(name);
        printUser(user, out);
        printBindings(applying(user, security.bindings()), out);
        printKeys(security.keys(name), out);
        List<Token> tokens = security.tokens(name);
        out.println();
        out.println("API tokens: " + tokens(tokens, Instant.now())
                + (tokens.isEmpty() ? "" : "; see security:token-list --user " + name));
        return null;
    }

    private static void printUser(User user, PrintStream out) {
        ShellTable table = new ShellTable().noHeaders();
        table.column("");
        table.column("").maxSize(100).wrap();
        table.addRow().addContent("Name", user.name());
        table.addRow().addContent("Kind", UserListCommand.kind(user));
        table.addRow().addContent("Display name", user.displayName());
        table.addRow().addContent("State", UserListCommand.state(user));
        table.addRow().addContent("Groups", ShellText.list(user.groups()));
        table.addRow().addContent("Created", ShellText.time(user.created()));
        table.print(out);
    }

    private static void printBindings(List<Binding> bindings, PrintStream out) {
        out.println();
        if (bindings.isEmpty()) {
            out.println("Role bindings: none");
            return;
        }
        out.println("Role bindings:");
        BindingsCommand.table(bindings).print(out);
    }

    private static void printKeys(List<Key> keys, PrintStream out) {
        out.println();
        if (keys.isEmpty()) {
            out.println("SSH keys: none");
            return;
        }
        out.println("SSH keys:");
        KeyListCommand.table(keys).print(out);
    }

    /** Returns the bindings that apply to a user: its own, and those of the groups it is in. */
    static List<Binding> applying(User user, List<Binding> bindings) {
        return bindings.stream()
                .filter(binding -> user.name().equals(binding.user())
                        || binding.group() != null && user.groups().contains(binding.group()))
                .toList();
    }

    /** Returns how many tokens a user has, such as {@code 2 active, 1 expired, 3 revoked}. */
    static String tokens(List<Token> tokens, Instant now) {
        if (tokens.isEmpty()) {
            return "none";
        }
        long active = tokens.stream().filter(token -> TokenListCommand.state(token, now).equals("active")).count();
        long expired = tokens.stream().filter(token -> TokenListCommand.state(token, now).equals("expired"))
                .count();
        long revoked = tokens.size() - active - expired;
        return active + " active, " + expired + " expired, " + revoked + " revoked";
    }
}
