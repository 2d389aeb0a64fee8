package io.hanse.kernel.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A peer instance with its pinned key and where delivery to and from it stands.
 *
 * @param id its id on this instance
 * @param name its instance name, unique among peers; remote systems are called {@code name/slug}
 * @param url its base URL, such as {@code https://hanse.example.org:8443}; {@code null} if it
 *     dials this instance and its address is not known
 * @param publicKey its pinned Ed25519 public key in OpenSSH's one-line format
 * @param fingerprint that key's fingerprint, unique among peers
 * @param dialOut whether this instance connects to it; otherwise it connects to this one
 * @param suspended whether the link is suspended: no connection, messages wait in the outbox
 * @param created when it was peered
 * @param enqueued the highest sequence number put into its outbox, 0 before the first: read from the outbox, so
 *     a new peer's is ignored
 * @param acknowledged the highest sequence number it acknowledged; 0 before the first
 * @param received the highest sequence number received from it in order; 0 before the first
 */
public record StoredPeer(UUID id, String name, String url, String publicKey, String fingerprint, boolean dialOut,
        boolean suspended, Instant created, long enqueued, long acknowledged, long received) {
}
