package io.hanse.kernel.federation.internal;

import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.store.OutboxMessage;
import io.hanse.kernel.store.StoredPeer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A peer as this instance knows it while running: what is stored about it, its pinned key read
 * once, the link it is connected by, and what delivery to and from it has counted.
 */
final class Peer {

    /** The most characters of message bodies {@link #kept}, besides a little for each message. */
    static final long KEPT_CHARS = 4L << 20;

    private volatile StoredPeer stored;
    private final Ed25519Key key;
    private volatile Link link;
    private volatile Instant connectedSince;
    /** When its last link ended; {@code null} while it has one, or had none since this instance started. */
    private volatile Instant unlinkedSince;
    private volatile String lastProblem;
    /** The highest sequence number enqueued for it; only the delivery thread raises it. */
    final AtomicLong enqueued;
    /** The highest sequence number it acknowledged. */
    final AtomicLong acknowledged;
    /** The highest sequence number received from it in order. */
    final AtomicLong received;
    /** Frames and messages refused from it, and messages of types this instance does not know. */
    final AtomicLong refused = new AtomicLong();
    final AtomicLong unknownTypes = new AtomicLong();
    /** Its plugin messages whose handler here failed. */
    final AtomicLong handlerFailures = new AtomicLong();
    /** Times it fell behind past the outbox bound and was resynchronised. */
    final AtomicLong resyncs = new AtomicLong();
    /**
     * What it said it has when it last connected saying less than it acknowledged, or -1 when its
     * last connection went on. Said once, it may be a link that replaces another which stored more
     * after this one's handshake read it; said twice in a row, it was restored from a backup.
     */
    volatile long behind = -1;
    /** Held while messages from it are applied: by one link at a time, though two may be open a moment. */
    private final ReentrantLock applying = new ReentrantLock();
    /** The highest sequence number of its messages applied here; guarded by {@link #applying}. */
    private long applied;
    /** Whether it was removed, after which nothing more of it is applied; guarded by {@link #applying}. */
    private boolean removed;
    /** Messages lately put into its outbox, in order, so that sending them need not read them back. */
    private final ArrayDeque<OutboxMessage> kept = new ArrayDeque<>();
    private long keptChars;

    Peer(StoredPeer stored) {
        this.stored = stored;
        this.key = Ed25519Key.parse(stored.publicKey());
        this.enqueued = new AtomicLong(stored.enqueued());
        this.acknowledged = new AtomicLong(stored.acknowledged());
        this.received = new AtomicLong(stored.received());
        this.applied = stored.received();
    }

    /**
     * Applies messages received from it, numbered from {@code first}, in order and once: one run at a
     * time, leaving out those applied already, and none once it was {@link #removed}. A link that
     * replaces another after a reconnect is sent again what the other may still be applying; without
     * this, both applied it, in either order.
     */
    <M> void apply(long first, List<M> messages, Consumer<List<M>> applier) {
        changing(() -> {
            int done = (int) Math.max(0, Math.min(messages.size(), applied - first + 1));
            if (done < messages.size()) {
                applier.accept(messages.subList(done, messages.size()));
                applied = first + messages.size() - 1;
            }
        });
    }

    /**
     * Runs a change to what it has here, such as its remote systems, one at a time with messages
     * being applied, which change the same; none once it was {@link #removed}.
     */
    void changing(Runnable change) {
        applying.lock();
        try {
            if (!removed) {
                change.run();
            }
        } finally {
            applying.unlock();
        }
    }

    /**
     * Marks it removed: returns once messages being applied are, and nothing more of it is applied
     * after, so that what it had here can then be forgotten for good.
     */
    void removed() {
        applying.lock();
        try {
            removed = true;
        } finally {
            applying.unlock();
        }
    }

    UUID id() {
        return stored.id();
    }

    String name() {
        return stored.name();
    }

    StoredPeer stored() {
        return stored;
    }

    void stored(StoredPeer changed) {
        stored = changed;
    }

    /** Returns the pinned key: whatever it verifies comes from this peer. */
    Ed25519Key key() {
        return key;
    }

    Link link() {
        return link;
    }

    /** Makes this the peer's link, returning the one it replaces, if any. */
    synchronized Link connected(Link opened, Instant at) {
        Link previous = link;
        link = opened;
        connectedSince = at;
        unlinkedSince = null;
        lastProblem = null;
        return previous == opened ? null : previous;
    }

    /** Forgets the link if it is still the peer's, noting when and why it ended. */
    synchronized void disconnected(Link closed, String why, Instant at) {
        if (link == closed) {
            link = null;
            connectedSince = null;
            unlinkedSince = at;
        }
        if (why != null) {
            lastProblem = why;
        }
    }

    void problem(String why) {
        lastProblem = why;
    }

    Instant connectedSince() {
        return connectedSince;
    }

    Instant unlinkedSince() {
        return unlinkedSince;
    }

    String lastProblem() {
        return lastProblem;
    }

    /**
     * Keeps messages just stored in its outbox, following those kept already, for {@link #kept};
     * beyond {@link #KEPT_CHARS} the oldest are let go, as they are in the outbox.
     */
    synchronized void keep(List<OutboxMessage> messages) {
        for (OutboxMessage message : messages) {
            kept.addLast(message);
            keptChars += size(message);
        }
        while (keptChars > KEPT_CHARS) {
            keptChars -= size(kept.removeFirst());
        }
    }

    /**
     * Returns up to {@code max} kept messages that follow on from {@code afterSeq} without a gap,
     * letting go of those up to it, which are sent; none if the next is not kept: it is then read from
     * the outbox.
     */
    synchronized List<OutboxMessage> kept(long afterSeq, int max) {
        while (!kept.isEmpty() && kept.peekFirst().seq() <= afterSeq) {
            keptChars -= size(kept.removeFirst());
        }
        List<OutboxMessage> next = new ArrayList<>(Math.min(max, kept.size()));
        for (OutboxMessage message : kept) {
            if (next.size() == max || message.seq() != afterSeq + next.size() + 1) {
                break;
            }
            next.add(message);
        }
        return next;
    }

    /** Lets go of what is kept: the outbox was dropped. */
    synchronized void forgetKept() {
        kept.clear();
        keptChars = 0;
    }

    private static long size(OutboxMessage message) {
        return message.body().length() + 64L;
    }

    /** Returns how many messages it has not acknowledged yet. */
    long lag() {
        return Math.max(0, enqueued.get() - acknowledged.get());
    }
}
