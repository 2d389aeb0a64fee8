package io.hanse.api.federation;

import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Takes a plugin's messages from peers. Register an implementation as an OSGi service; while it is
 * registered, the kernel hands it every message of its types, in the order each peer sent them. A
 * message of a type no handler takes is counted and skipped, so that an instance with an older
 * version of a plugin still peers with one that has a newer version.
 */
@ConsumerType
public interface PeerMessageHandler {

    /**
     * Returns the message types it takes (see {@link PeerMessage#checkType}); each type belongs to one
     * handler, the first registered.
     */
    Set<String> types();

    /**
     * Takes a message. An exception is logged and counted against the peer, and the message is not
     * delivered again: a handler that needs to retry keeps the message itself.
     */
    void receive(PeerMessage message);
}
