package io.hanse.kernel.security.command;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.security.internal.SecurityManager.User;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "security", name = "user-set", description = "Changes a user's display name, or disables "
        + "or enables it. A disabled user cannot log in, and its tokens and SSH keys stop working until it is "
        + "enabled again.")
@Service
@RequiresPermission(value = KernelPermissions.SECURITY_WRITE, everywhere = true)
public class UserSetCommand extends SecurityCommand {

    @Argument(index = 0, name = "name", description = "The user", required = true)
    @Completion(UserNameCompleter.class)
    String name;

    @Option(name = "--display-name", description = "The name people see")
    String displayName;

    @Option(name = "--disable", description = "Stops the user from logging in; needs every permission the user "
            + "holds, on the whole instance")
    boolean disable;

    @Option(name = "--enable", description = "Lets a disabled user log in again; needs every permission the user "
            + "holds, on the whole instance")
    boolean enable;

    @Override
    protected Object execute(Caller caller) {
        Boolean disabled = disabled();
        User before = security.user(name);
        if ((displayName == null || displayName.equals(before.displayName()))
                && (disabled == null || disabled == before.disabled())) {
            out().println("Nothing to change in user " + name);
            return null;
        }
        User after = security.updateUser(name, displayName, disabled, caller);
        out().println("Updated user " + name + ": " + String.join(", ", changes(before, after)));
        return null;
    }

    /**
     * Returns what {@code --disable} and {@code --enable} ask for: {@code null} for neither.
     *
     * @throws InvalidRequestException if both are given
     */
    Boolean disabled() {
        if (disable && enable) {
            throw new InvalidRequestException("give --disable or --enable, not both");
        }
        return disable ? Boolean.TRUE : enable ? Boolean.FALSE : null;
    }

    /** Returns what changed, such as {@code [display name, disabled]}. */
    static List<String> changes(User before, User after) {
        List<String> changes = new ArrayList<>();
        if (!before.displayName().equals(after.displayName())) {
            changes.add("display name");
        }
        if (before.disabled() != after.disabled()) {
            changes.add(after.disabled() ? "disabled" : "enabled");
        }
        return changes;
    }
}
