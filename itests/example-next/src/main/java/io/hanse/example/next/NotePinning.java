package io.hanse.example.next;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.federation.PeerMessage;
import io.hanse.api.federation.PeerMessageHandler;
import io.hanse.api.federation.PeerMessages;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.RequiresPermission;
import io.hanse.example.internal.ExamplePermissions;
import io.hanse.example.internal.NoteStore;
import java.util.Map;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * What version 1.1 of the example plugin adds: pinned notes, shared with the peers granted a system
 * as the message type {@value #TYPE}, which version 1.0 does not know. {@code POST /example/pins}
 * with {@code {"system": …, "text": …}} sends one; a pin from a peer is kept as a note.
 */
@Component(service = {RestResource.class, PeerMessageHandler.class})
@Path("example/pins")
@Produces(MediaType.APPLICATION_JSON)
public final class NotePinning implements RestResource, PeerMessageHandler {

    static final String TYPE = "example.pin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NoteStore notes;
    private final PeerMessages messages;

    @Activate
    public NotePinning(@Reference NoteStore notes, @Reference PeerMessages messages) {
        this.notes = notes;
        this.messages = messages;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = ExamplePermissions.WRITE, everywhere = true)
    public Response pin(PinDto pin) {
        String id = messages.send(TYPE, pin.system(), JSON.createObjectNode().put("text", pin.text()).toString());
        return Response.accepted(Map.of("id", id)).build();
    }

    @Override
    public Set<String> types() {
        return Set.of(TYPE);
    }

    @Override
    public void receive(PeerMessage message) {
        try {
            notes.add("[" + message.system() + "] pinned: " + JSON.readTree(message.body()).path("text").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a pin from " + message.peer() + " is not JSON", e);
        }
    }

    /** The body of {@code POST}: one of this instance's systems, and the text to pin on it. */
    public record PinDto(String system, String text) {
        public PinDto {
            if (system == null || text == null) {
                throw new InvalidRequestException("system and text: required");
            }
        }
    }
}
