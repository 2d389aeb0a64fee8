package io.hanse.example.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.example.internal.ExamplePermissions;
import io.hanse.example.internal.Note;
import io.hanse.example.internal.NoteStore;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "example", name = "note-add", description = "Adds a note.")
@Service
@RequiresPermission(value = ExamplePermissions.WRITE, everywhere = true)
public class NoteAddCommand extends SecuredAction {

    @Argument(index = 0, name = "text", description = "What the note says", required = true, multiValued = true)
    List<String> words;

    @Reference
    NoteStore notes;

    @Override
    protected Object execute(Caller caller) {
        Note note = notes.add(String.join(" ", words));
        out().println("Added note " + note.id());
        return null;
    }
}
