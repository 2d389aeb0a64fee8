package io.hanse.kernel.store;

import io.hanse.api.ConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps federation: this instance's key pair, invitations, peers and their pinned keys, the grants
 * given to peers, and a persistent outbox per peer with sequence numbers.
 */
@ProviderType
public interface FederationStore {

    /**
     * Returns this instance's key pair, storing the candidate first if there is none: of nodes
     * starting at once on one database, one candidate is stored and all get that one.
     */
    StoredIdentity identity(StoredIdentity candidate);

    /** Stores a new invitation with its audit entry. */
    void insertInvitation(StoredInvitation invitation, AuditEntry audit);

    /** Returns every invitation, newest first. */
    List<StoredInvitation> invitations();

    /**
     * Redeems an invitation and stores the peer that redeemed it, in one transaction with its audit
     * entry: marks the invitation with this id and hash used, if it is unused and expires after
     * {@code now}, and inserts the peer. Of concurrent redeemers exactly one wins.
     *
     * @return the invitation as it was before; empty if there is no such invitation to redeem, and
     *     then nothing is stored
     * @throws ConflictException if a peer with the same name or key fingerprint exists; nothing is stored
     */
    Optional<StoredInvitation> redeem(UUID id, String secretHash, Instant now, StoredPeer peer, AuditEntry audit);

    /**
     * Deletes unused invitations that expired before this time; returns how many. Redeemed ones stay,
     * as the record of who joined by them.
     */
    int deleteExpiredInvitations(Instant before);

    /**
     * Cancels an invitation: deletes it, with its audit entry, if it is unused and expires after
     * {@code now}, so that nobody can join with it.
     *
     * @return false if there is no such invitation to cancel; then nothing is stored
     * @since 0.10.0
     */
    boolean cancelInvitation(UUID id, Instant now, AuditEntry audit);

    /** Returns every peer, sorted by name. */
    List<StoredPeer> peers();

    /**
     * Stores a new peer with its audit entry.
     *
     * @throws ConflictException if a peer with the same name or key fingerprint exists
     */
    void insertPeer(StoredPeer peer, AuditEntry audit);

    /**
     * Stores a peer's settings, with their audit entry: its url, who dials and whether it is
     * suspended. Its key, name and the sequence numbers are not changed here.
     *
     * @return false if there is no such peer; then nothing is stored
     */
    boolean updatePeer(StoredPeer peer, AuditEntry audit);

    /**
     * Deletes a peer with its pinned key, its grants and its outbox, and writes its audit entry.
     *
     * @return false if there is no such peer; then nothing is stored
     */
    boolean deletePeer(UUID id, AuditEntry audit);

    /** Returns every grant, revoked and expired ones included, oldest first. */
    List<StoredGrant> grants();

    /**
     * Stores a new grant with its audit entry.
     *
     * @throws io.hanse.api.NotFoundException if its peer or its system does not exist
     */
    void insertGrant(StoredGrant grant, AuditEntry audit);

    /**
     * Marks a grant revoked at this time, with its audit entry.
     *
     * @return false if there is no such grant or it was revoked already; then nothing is stored
     */
    boolean revokeGrant(UUID id, Instant at, AuditEntry audit);

    /**
     * Appends messages to their peers' outboxes in one transaction. Messages of peers that no longer
     * exist are skipped. The cost per call hardly grows with the number of
     * messages but does with the number of peers: pass a whole batch, for all peers, at once.
     *
     * In the same transaction the timeline's cursor becomes {@code followed}, unless it is higher
     * already: the events up to that sequence number are in the outboxes.
     *
     * @throws IllegalStateException if a message's peer and sequence number are stored already; then
     *     nothing is stored
     */
    void enqueue(List<OutboxMessage> messages, long followed);

    /** Returns the timeline's cursor last stored by {@link #enqueue}; empty before the first. */
    OptionalLong followed();

    /** Returns a peer's messages with a sequence number above {@code afterSeq}, ascending, at most {@code max}. */
    List<OutboxMessage> outbox(UUID peer, long afterSeq, int max);

    /**
     * Records that a peer acknowledged every message up to this sequence number, and deletes them.
     * A number lower than the one recorded changes nothing.
     */
    void acknowledge(UUID peer, long seq);

    /**
     * A peer fell behind by more than its outbox holds: in one transaction, deletes every message of
     * its outbox, records everything before the resynchronisation as acknowledged, and enqueues the
     * resynchronisation, so that the outbox never has a gap without one at its start. Nothing is
     * stored if the peer no longer exists.
     *
     * @param resync a snapshot to send instead of what was dropped; its sequence number follows the
     *     peer's highest enqueued one
     */
    void overflow(UUID peer, OutboxMessage resync);

    /**
     * Records the highest sequence number received in order from a peer. A number lower than the one
     * recorded changes nothing.
     */
    void received(UUID peer, long seq);
}
