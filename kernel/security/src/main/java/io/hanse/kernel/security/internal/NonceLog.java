package io.hanse.kernel.security.internal;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * The nonces of signed requests, each remembered until a given time, in 36 to 56 bytes apiece. A
 * nonce is kept as a 64-bit hash of its key and itself, keyed with a secret of this process, in an
 * open-addressing table at most half full; its time to forget is kept in a ring, in the order
 * taken. Forgetting goes in that order too: a nonce behind one kept longer is forgotten no earlier
 * than that one, which only keeps it longer. A fresh nonce is taken for a replay only if its hash
 * equals one of those remembered: at a million, a chance of one in 10<sup>13</sup>, and the agent
 * signs its next try afresh. The tables grow as needed, up to {@code capacity} nonces. Once they
 * are half full, a key that holds {@code perKey} takes no more: one busy agent on a quiet server is
 * not held back, and one looping or stolen key cannot take more than half the room of all the others.
 * Not thread-safe: the caller guards it.
 */
final class NonceLog {

    /** What became of a nonce offered. */
    enum Taken {
        /** Not seen before: remembered now. */
        NEW,
        /** Seen before and not yet forgotten: a replay. */
        SEEN,
        /** Not seen, but as many nonces as the log holds are remembered: not taken. */
        FULL,
        /** Not seen, but the log is half full and the key holds its share: not taken. */
        KEY_FULL
    }

    /** How many nonces a key holds. */
    private static final class Share {
        final String key;
        int nonces;

        Share(String key) {
            this.key = key;
        }
    }

    private static final int FIRST_CAPACITY = 1024;
    /** Fibonacci hashing's multiplier: 2<sup>64</sup> over the golden ratio, odd. */
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private final int capacity;
    private final int perKey;
    private final long secret = new SecureRandom().nextLong();
    /** Hashes in open addressing with linear probing, at most half full; 0 is an empty slot. */
    private long[] slots;
    /** The hashes remembered, in the order taken, from {@code head}. */
    private long[] ring;
    /** The epoch second after which each in {@code ring} is forgotten. */
    private long[] expiries;
    /** The share of the key of each in {@code ring}. */
    private Share[] owners;
    /** The keys that hold nonces, each with its share. */
    private final Map<String, Share> shares = new HashMap<>();
    private int head;
    private int size;

    NonceLog(int capacity, int perKey) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a nonce log holds at least one nonce, not " + capacity);
        }
        if (perKey < 1 || perKey > capacity) {
            throw new IllegalArgumentException("a key's share is 1 to " + capacity + " nonces, not " + perKey);
        }
        this.capacity = capacity;
        this.perKey = perKey;
        allocate(Math.min(capacity, FIRST_CAPACITY));
    }

    /**
     * Forgets the nonces due by {@code now}, then takes this one unless it is remembered.
     *
     * @param forgetAfter the epoch second after which the nonce may be forgotten
     * @param now the epoch second now
     */
    Taken take(String key, String nonce, long forgetAfter, long now) {
        forget(now);
        long hash = hash(key, nonce);
        int slot = probe(hash);
        if (slots[slot] == hash) {
            return Taken.SEEN;
        }
        Taken room = room(key);
        if (room != Taken.NEW) {
            return room;
        }
        if (size == ring.length) {
            allocate(Math.min(capacity, 2 * ring.length));
            return take(key, nonce, forgetAfter, now);
        }
        slots[slot] = hash;
        int tail = (head + size) % ring.length;
        ring[tail] = hash;
        expiries[tail] = forgetAfter;
        Share share = shares.computeIfAbsent(key, Share::new);
        share.nonces++;
        owners[tail] = share;
        size++;
        return Taken.NEW;
    }

    /**
     * Forgets the nonces due by {@code now}, then tells whether a new nonce of this key would be
     * taken: {@link Taken#NEW} if so, else {@link Taken#FULL} or {@link Taken#KEY_FULL}. Cheap, so
     * that a request that could not be taken is refused before its signature is checked.
     */
    Taken room(String key, long now) {
        forget(now);
        return room(key);
    }

    private Taken room(String key) {
        if (size == capacity) {
            return Taken.FULL;
        }
        Share share = shares.get(key);
        return size >= capacity / 2 && share != null && share.nonces >= perKey ? Taken.KEY_FULL : Taken.NEW;
    }

    private void forget(long now) {
        while (size > 0 && expiries[head] < now) {
            remove(ring[head]);
            Share share = owners[head];
            owners[head] = null;
            if (--share.nonces == 0) {
                shares.remove(share.key);
            }
            head = (head + 1) % ring.length;
            size--;
        }
    }

    /** How many nonces are remembered. */
    int size() {
        return size;
    }

    /** The epoch second after which the oldest nonce remembered is forgotten; only while some are. */
    long oldestForgetAfter() {
        if (size == 0) {
            throw new IllegalStateException("no nonce is remembered");
        }
        return expiries[head];
    }

    /** Makes room for {@code nonces}, keeping those remembered in their order. */
    private void allocate(int nonces) {
        long[] oldRing = ring;
        long[] oldExpiries = expiries;
        Share[] oldOwners = owners;
        slots = new long[Integer.highestOneBit(nonces - 1 | 1) << 2];
        ring = new long[nonces];
        expiries = new long[nonces];
        owners = new Share[nonces];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % oldRing.length;
            ring[i] = oldRing[from];
            expiries[i] = oldExpiries[from];
            owners[i] = oldOwners[from];
            slots[probe(ring[i])] = ring[i];
        }
        head = 0;
    }

    /** Removes a hash from the table, moving back the ones after it that would be out of reach. */
    private void remove(long hash) {
        int mask = slots.length - 1;
        int gap = probe(hash);
        for (int next = (gap + 1) & mask; slots[next] != 0; next = (next + 1) & mask) {
            int home = slot(slots[next]);
            boolean reachable = gap <= next ? gap < home && home <= next : gap < home || home <= next;
            if (!reachable) {
                slots[gap] = slots[next];
                gap = next;
            }
        }
        slots[gap] = 0;
    }

    private long hash(String key, String nonce) {
        long hash = secret;
        hash = mix(hash, key);
        hash = mix(hash ^ key.length(), nonce);
        hash ^= nonce.length();
        hash = (hash ^ (hash >>> 33)) * 0xFF51AFD7ED558CCDL;
        hash = (hash ^ (hash >>> 33)) * 0xC4CEB9FE1A85EC53L;
        hash ^= hash >>> 33;
        return hash == 0 ? 1 : hash;
    }

    private static long mix(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = Long.rotateLeft((hash ^ text.charAt(i)) * MIX, 31);
        }
        return hash;
    }

    /** The slot that holds a hash, or else the empty one where probing for it ends. */
    private int probe(long hash) {
        int slot = slot(hash);
        while (slots[slot] != 0 && slots[slot] != hash) {
            slot = (slot + 1) & (slots.length - 1);
        }
        return slot;
    }

    private int slot(long hash) {
        return (int) hash & (slots.length - 1);
    }
}
