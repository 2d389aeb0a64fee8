package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import java.util.List;
import java.util.function.Function;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * A command that lists things: as a table, or with {@code --json} as a JSON array.
 *
 * @param <T> what it lists
 */
abstract class ListCommand<T> extends SecurityCommand {

    @Option(name = "--json", description = "Prints a JSON array instead of a table")
    boolean json;

    private final Function<List<T>, ShellTable> table;

    /** Creates a command that prints its rows with {@code table} unless {@code --json} is given. */
    ListCommand(Function<List<T>, ShellTable> table) {
        this.table = table;
    }

    @Override
    protected final Object execute(Caller caller) {
        List<T> rows = rows(caller);
        if (json) {
            out().println(ShellJson.json(rows));
        } else {
            table.apply(rows).print(out());
        }
        return null;
    }

    /**
     * Returns what to list, in order.
     *
     * @throws io.hanse.api.HanseException if the options are wrong or the caller may not see them
     */
    abstract List<T> rows(Caller caller);
}
