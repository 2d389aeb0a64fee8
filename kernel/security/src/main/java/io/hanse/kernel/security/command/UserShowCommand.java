package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.ShellText;
import io.hanse.kernel.security.internal.SecurityManager.Binding;
import io.hanse.kernel.security.internal.SecurityManager.Token;
import io.hanse.kernel.security.internal.SecurityManager.User;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "security", name = "user-show", description = "Shows a user: who it is, its groups, the "
        + "role bindings that apply to it (its own and its groups'), its SSH keys and its API tokens.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_READ, everywhere = true)
public class UserShowCommand extends SecurityCommand {

    @Argument(index = 0, name = "name", description = "The user", required = true)
    @Completion(UserNameCompleter.class)
    String name;

    @Override
    protected Object execute(Caller caller) {
        PrintStream out = out();
        User user = security.user(name);
        printUser(user, out);
        printSection("Role bindings", applying(user, security.bindings()), BindingsCommand::table, out);
        printSection("SSH keys", security.keys(name), KeyListCommand::table, out);
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

    /** Prints a titled table after a blank line, or only the title and {@code none} if there are no rows. */
    private static <T> void printSection(String title, List<T> rows, Function<List<T>, ShellTable> table,
            PrintStream out) {
        out.println();
        if (rows.isEmpty()) {
            out.println(title + ": none");
            return;
        }
        out.println(title + ":");
        table.apply(rows).print(out);
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
