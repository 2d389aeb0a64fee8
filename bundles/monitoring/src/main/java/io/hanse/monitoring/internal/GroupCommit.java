package io.hanse.monitoring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Stores what concurrent callers hand in together: while one transaction runs, the items that
 * arrive wait, and the next caller stores all of them in one. Each caller returns once its own item
 * is committed, so nothing is acknowledged early; a lone caller stores its item at once. When a
 * group fails, its items are stored one by one again, so that one item's failure is only its own.
 *
 * @param <T> what is stored
 */
final class GroupCommit<T> {

    /** One caller's item and what became of it; written by whoever stores it, read under the lock. */
    private static final class Pending<T> {
        final T item;
        final Condition settled;
        boolean done;
        RuntimeException failure;

        Pending(T item, Condition settled) {
            this.item = item;
            this.settled = settled;
        }
    }

    private final Consumer<List<T>> store;
    private final ReentrantLock lock = new ReentrantLock();
    private List<Pending<T>> waiting = new ArrayList<>();
    private boolean storing;

    /** @param store stores items in one transaction: all of them or, by throwing, none */
    GroupCommit(Consumer<List<T>> store) {
        this.store = store;
    }

    /**
     * Stores an item, with whatever else is waiting, and returns once it is committed. Only the
     * callers whose items were stored wake, and the first of those still waiting, to store the next
     * group.
     *
     * @throws RuntimeException what storing it alone threw
     */
    void store(T item) {
        lock.lock();
        try {
            Pending<T> mine = new Pending<>(item, lock.newCondition());
            waiting.add(mine);
            while (!mine.done) {
                if (storing) {
                    mine.settled.awaitUninterruptibly();
                    continue;
                }
                List<Pending<T>> group = waiting;
                waiting = new ArrayList<>();
                storing = true;
                lock.unlock();
                try {
                    write(group);
                } finally {
                    lock.lock();
                    storing = false;
                    group.forEach(pending -> pending.settled.signal());
                    if (!waiting.isEmpty()) {
                        waiting.get(0).settled.signal();
                    }
                }
            }
            if (mine.failure != null) {
                throw mine.failure;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stores a group and notes what became of each item. */
    private void write(List<Pending<T>> group) {
        try {
            storeAll(group);
        } catch (Error fatal) {
            group.forEach(pending -> pending.failure = new IllegalStateException("not stored: " + fatal, fatal));
            throw fatal;
        } finally {
            group.forEach(pending -> pending.done = true);
        }
    }

    private void storeAll(List<Pending<T>> group) {
        try {
            store.accept(group.stream().map(pending -> pending.item).toList());
        } catch (RuntimeException failed) {
            if (group.size() == 1) {
                group.get(0).failure = failed;
                return;
            }
            for (Pending<T> pending : group) {
                try {
                    store.accept(List.of(pending.item));
                } catch (RuntimeException e) {
                    pending.failure = e;
                }
            }
        }
    }
}
