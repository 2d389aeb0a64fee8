package io.hanse.example.rest;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.RequiresPermission;
import io.hanse.example.internal.ExamplePermissions;
import io.hanse.example.internal.Note;
import io.hanse.example.internal.NoteSharing;
import io.hanse.example.internal.NoteStore;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Notes over REST: the plugin's endpoint, served while the plugin is installed. */
@Component(service = RestResource.class)
@Path("example/notes")
@Produces(MediaType.APPLICATION_JSON)
public final class NoteResource implements RestResource {

    private final NoteStore notes;
    private final NoteSharing sharing;

    @Activate
    public NoteResource(@Reference NoteStore notes, @Reference NoteSharing sharing) {
        this.notes = notes;
        this.sharing = sharing;
    }

    @GET
    @RequiresPermission(value = ExamplePermissions.READ, everywhere = true)
    public NoteListDto list(@QueryParam("limit") @DefaultValue("50") int limit) {
        return new NoteListDto(notes.newest(limit).stream().map(NoteDto::of).toList());
    }

    @GET
    @Path("{id}")
    @RequiresPermission(value = ExamplePermissions.READ, everywhere = true)
    public NoteDto get(@PathParam("id") long id) {
        return NoteDto.of(notes.get(id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = ExamplePermissions.WRITE, everywhere = true)
    public Response add(NewNoteDto request) {
        NoteDto created = NoteDto.of(notes.add(request.text()));
        if (request.share() != null) {
            sharing.share(request.share(), request.text());
        }
        return Response.created(URI.create("example/notes/" + created.id())).entity(created).build();
    }

    /**
     * The body of {@code POST}: the note, and optionally a system to share it about: one of this
     * instance's, whose peers (those it is granted to) get the note too, or a remote one, whose owner
     * is asked to keep it.
     */
    public record NewNoteDto(String text, String share) {
        public NewNoteDto {
            if (text == null) {
                throw new InvalidRequestException("text: required");
            }
        }
    }

    public record NoteDto(long id, String text, Instant created) {
        static NoteDto of(Note note) {
            return new NoteDto(note.id(), note.text(), note.created());
        }
    }

    public record NoteListDto(List<NoteDto> notes) {
    }
}
