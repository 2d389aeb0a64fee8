package io.hanse.kernel.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A message waiting in a peer's outbox until the peer acknowledges it.
 *
 * @param peer the peer's id
 * @param seq its sequence number on the link to that peer, from 1 without gaps
 * @param type the message type, such as {@code event} or a plugin's {@code tickets.mirror}
 * @param body its body, a JSON object
 * @param created when it was enqueued
 */
public record OutboxMessage(UUID peer, long seq, String type, String body, Instant created) {
}
