package io.hanse.example.command;

import io.hanse.example.internal.Note;
import io.hanse.example.internal.NoteStore;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "example", name = "note-add", description = "Adds a note.")
@Service
public class NoteAddCommand implements Action {

    @Argument(index = 0, name = "text", description = "What the note says", required = true, multiValued = true)
    List<String> words;

    @Reference
    NoteStore notes;

    @Override
    public Object execute() {
        Note note = notes.add(String.join(" ", words));
        System.out.println("Added note " + note.id());
        return null;
    }
}
