package io.hanse.example.command;

import io.hanse.example.internal.Note;
import io.hanse.example.internal.NoteStore;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "example", name = "note-list", description = "Lists the newest notes first.")
@Service
public class NoteListCommand implements Action {

    @Option(name = "-n", aliases = "--limit", description = "How many notes to show")
    int limit = 20;

    @Reference
    NoteStore notes;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id").alignRight();
        table.column("Created");
        table.column("Text").maxSize(80);
        for (Note note : notes.newest(limit)) {
            table.addRow().addContent(note.id(), note.created(), note.text());
        }
        table.print(System.out);
        return null;
    }
}
