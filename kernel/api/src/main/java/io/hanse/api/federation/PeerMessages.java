package io.hanse.api.federation;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooLargeException;
import io.hanse.api.UnavailableException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends a plugin's messages to peers. Only peers that are granted the system a message is about get
 * it, after everything put into their outboxes before it; a message about a system whose grant is
 * revoked before it leaves is not sent. The other way, a plugin asks the owner of a remote system
 * to act on it, which the owner does only where it granted that action.
 */
@ProviderType
public interface PeerMessages {

    /**
     * Sends a message about one of this instance's own systems to every peer granted it.
     *
     * @param type the plugin's message type, such as {@code tickets.mirror}
     * @param system the system's slug
     * @param body a JSON object
     * @return the message's id, as receivers see it
     * @throws InvalidRequestException if the type is not a plugin's message type, the body is not a
     *     JSON object, or the system is a remote system
     * @throws NotFoundException if there is no such system
     * @throws TooLargeException if the body is larger than a frame may carry
     * @throws UnavailableException if too many messages wait to be put into peers' outboxes already
     */
    String send(String type, String system, String body);

    /**
     * Asks the instance that owns a remote system to do a named action on it, such as acknowledging
     * a problem there. The owner hands it to the handler that takes the action as its type only if
     * one of its grants to this instance covers the system and names the action; otherwise it refuses
     * and audits the request. Nothing comes back through here: what the owner does reaches this
     * instance as it happens, through the system's timeline and status.
     *
     * @param action the action, a plugin's message type such as {@code monitoring.ack}
     * @param system the remote system, as it is called here: {@code peer/slug}
     * @param body a JSON object
     * @return the request's id, as the owner sees it
     * @throws InvalidRequestException if the action is not a plugin's message type, the body is not a
     *     JSON object, or the system is one of this instance's own
     * @throws NotFoundException if there is no such system
     * @throws TooLargeException if the body is larger than a frame may carry
     * @throws UnavailableException if too many messages wait to be put into peers' outboxes already
     */
    String ask(String action, String system, String body);
}
