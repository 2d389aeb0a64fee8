package io.hanse.kernel.store;

import java.util.UUID;

/**
 * A message waiting in a peer's outbox until the peer acknowledges it.
 *
 * @param peer the peer's id
 * @param seq its sequence number on the link to that peer, from 1 without gaps
 * @param type the message type, such as {@code event} or a plugin's {@code tickets.mirror}
 * @param system the id of the system it is about, so that it is withheld once that is no longer
 *     granted; {@code null} for a message about none, such as a snapshot
 * @param body its body, a JSON object in canonical form, as it travels
 */
public record OutboxMessage(UUID peer, long seq, String type, UUID system, String body) {
}
