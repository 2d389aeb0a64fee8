package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

/**
 * Adds users to a group or removes them, all or none, saying for each what changed: one that cannot be
 * added or removed (unknown, refused, or the last admin's way in) leaves the others as they were.
 */
abstract class GroupMemberCommand extends SecurityCommand {

    @Argument(index = 0, name = "group", description = "The group", required = true)
    @Completion(GroupNameCompleter.class)
    String group;

    @Argument(index = 1, name = "users", description = "The users", required = true, multiValued = true)
    @Completion(UserNameCompleter.class)
    List<String> users;

    private final boolean add;

    /** Creates a command that adds users to the group if {@code add}, or else removes them. */
    GroupMemberCommand(boolean add) {
        this.add = add;
    }

    @Override
    protected Object execute(Caller caller) {
        List<String> before = security.group(group).members();
        List<String> after = security.changeMembers(group, users, add, caller).members();
        for (String user : new LinkedHashSet<>(users)) {
            out().println(report(user, before.contains(user) != after.contains(user)));
        }
        return null;
    }

    /** Returns what the shell prints for one user: what was done, or why nothing changed. */
    abstract String report(String user, boolean changed);
}
