package io.hanse.example.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.federation.PeerMessage;
import io.hanse.api.federation.PeerMessageHandler;
import io.hanse.api.federation.PeerMessages;
import io.hanse.api.system.SystemDraft;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Notes between federated instances: a note about one of this instance's systems goes to every peer
 * granted that system, as the message type {@value #TYPE}; a note from a peer is kept here with the
 * remote system it is about. A note about a remote system asks its owner to keep it, which the owner
 * does where its grant names the action {@value #TYPE}. The kernel signs, orders, delivers and
 * authorises; an instance without this plugin counts the type as unknown and skips it.
 */
@Component(service = {NoteSharing.class, PeerMessageHandler.class})
public final class NoteSharing implements PeerMessageHandler {

    /** This plugin's message type. */
    static final String TYPE = "example.note";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NoteStore notes;
    private final PeerMessages messages;

    @Activate
    public NoteSharing(@Reference NoteStore notes, @Reference PeerMessages messages) {
        this.notes = notes;
        this.messages = messages;
    }

    /**
     * Sends a note to the peers that are granted this system, or, for a remote system, to the
     * instance that owns it.
     */
    public void share(String system, String text) {
        String body = JSON.createObjectNode().put("text", text).toString();
        if (SystemDraft.peer(system).isPresent()) {
            messages.ask(TYPE, system, body);
        } else {
            messages.send(TYPE, system, body);
        }
    }

    @Override
    public Set<String> types() {
        return Set.of(TYPE);
    }

    /**
     * Keeps a peer's note. Delivery is at least once: after a crash at the wrong moment a note may
     * arrive twice, which a note survives; a plugin whose messages act keeps their ids.
     */
    @Override
    public void receive(PeerMessage message) {
        try {
            // A remote system's note comes from its owner; a note on one of ours, from the peer that asked.
            String about = SystemDraft.peer(message.system()).isPresent() ? message.system()
                    : message.system() + " from " + message.peer();
            notes.add("[" + about + "] " + JSON.readTree(message.body()).path("text").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a note from " + message.peer() + " is not JSON", e);
        }
    }
}
