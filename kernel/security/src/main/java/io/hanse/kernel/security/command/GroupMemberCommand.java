package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

/** Adds users to a group or removes them, one after the other, saying for each what changed. */
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
        for (String user : users) {
            boolean before = security.group(group).members().contains(user);
            boolean after = security.changeMember(group, user, add, caller).members().contains(user);
            System.out.println(report(user, before != after));
        }
        return null;
    }

    /** Returns what the shell prints for one user: what was done, or why nothing changed. */
    abstract String report(String user, boolean changed);
}
