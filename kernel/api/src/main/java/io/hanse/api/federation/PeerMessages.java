package io.hanse.api.federation;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooLargeException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends a plugin's messages to peers. Only peers that are granted the system a message is about get
 * it, after everything put into their outboxes before it; a message about a system whose grant is
 * revoked before it leaves is not sent.
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
     */
    String send(String type, String system, String body);
}
