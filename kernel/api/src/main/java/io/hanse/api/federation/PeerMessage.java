package io.hanse.api.federation;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.timeline.EventDraft;
import java.util.Objects;

/**
 * A plugin's message from a peer instance, about one of the systems that peer granted this one, or
 * a request to act on one of this instance's systems that it granted the peer.
 *
 * @param id the sender's id for the message: delivery is at least once, so a handler that must not
 *     act twice remembers the ids it took
 * @param peer the instance that sent it
 * @param type its type, owned by the plugin that sends and takes it, such as {@code tickets.mirror}
 * @param system the system it is about, as it is called here: the remote system {@code peer/slug}
 *     for a message about one of the peer's systems, or one of this instance's own for an action the
 *     peer {@linkplain PeerMessages#ask asked} for, which a grant to it names
 * @param body a JSON object, whose schema its type owns
 */
public record PeerMessage(String id, String peer, String type, String system, String body) {

    public PeerMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(peer, "peer");
        checkType(type);
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(body, "body");
    }

    /**
     * Checks a plugin's message type: dot-separated lower-case words, at least two, such as
     * {@code tickets.mirror}; single words are the kernel's own.
     *
     * @return the type
     * @throws InvalidRequestException if it is not one
     */
    public static String checkType(String type) {
        try {
            return EventDraft.checkType(type);
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException("message type '" + type + "' must be dot-separated lower-case words"
                    + " such as tickets.mirror, at most 100 characters");
        }
    }
}
