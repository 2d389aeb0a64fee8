package io.hanse.kernel.security.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.kernel.security.internal.SecurityManager.Binding;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "bind", description = "Grants a role to a user or a group: on the whole "
        + "instance, or with --system on one system and everything it aggregates. Options come before the "
        + "role, as in 'security:bind --user alice --system storage-fra1 operator'.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class BindCommand extends SecurityCommand {

    @Argument(index = 0, name = "role", description = "The role; security:role-list lists them", required = true)
    @Completion(RoleNameCompleter.class)
    String role;

    @Option(name = "--user", description = "The user to grant the role to")
    @Completion(UserNameCompleter.class)
    String user;

    @Option(name = "--group", description = "The group to grant the role to")
    @Completion(GroupNameCompleter.class)
    String group;

    @Option(name = "--system", description = "Grants the role on this system only, and on everything it "
            + "aggregates; on the whole instance if not given")
    @Completion(SystemSlugCompleter.class)
    String system;

    @Option(name = "--no-members", description = "With --system, grants the role on that system alone, not on "
            + "what it aggregates")
    boolean noMembers;

    @Override
    protected Object execute(Caller caller) {
        check();
        Binding binding = security.bind(role, user, group, system, !noMembers, caller);
        out().println("Bound " + describe(binding) + " (binding " + binding.id() + ")");
        return null;
    }

    /**
     * Checks that the options name whom and where.
     *
     * @throws InvalidRequestException if they name both or neither a user and a group, or --no-members
     *     is given without --system
     */
    void check() {
        if ((user == null) == (group == null)) {
            throw new InvalidRequestException("give --user or --group, exactly one");
        }
        if (noMembers && system == null) {
            throw new InvalidRequestException("--no-members needs --system: a binding on the whole instance "
                    + "covers every system");
        }
    }

    /**
     * Returns a binding in words, such as {@code role operator to user alice on system web and what it
     * aggregates}.
     */
    static String describe(Binding binding) {
        return "role " + binding.role() + " to " + BindingsCommand.who(binding) + " on "
                + (binding.system() == null ? "the whole instance"
                        : "system " + binding.system() + (binding.includeMembers() ? " and what it aggregates"
                                : " alone"));
    }
}
