package io.hanse.example.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.example.internal.ExamplePermissions;
import io.hanse.example.internal.Note;
import io.hanse.example.internal.NoteStore;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "example", name = "note-list", description = "Lists the newest notes first.")
@Service
@RequiresPermission(value = ExamplePermissions.READ, everywhere = true)
public class NoteListCommand extends SecuredAction {

    @Option(name = "-n", aliases = "--limit", description = "How many notes to show")
    int limit = 20;

    @Reference
    NoteStore notes;

    @Override
    protected Object execute(Caller caller) {
        ShellTable table = new ShellTable();
        table.column("Id").alignRight();
        table.column("Created");
        table.column("Text").maxSize(80);
        for (Note note : notes.newest(limit)) {
            table.addRow().addContent(note.id(), note.created(), note.text());
        }
        table.print(out());
        return null;
    }
}
