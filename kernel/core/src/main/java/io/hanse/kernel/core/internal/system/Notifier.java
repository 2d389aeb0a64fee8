package io.hanse.kernel.core.internal.system;

import io.hanse.api.status.StatusChange;
import io.hanse.api.system.SystemEvent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells listeners of changes on a thread of its own, in the order the changes were made, and never
 * holds more and more for listeners that are slow. Up to a bound, system events and status changes
 * wait one by one. Beyond it, further system events are dropped, counted and logged; and further
 * status changes of one system wait merged into one, in the place of the first, from its previous
 * status to the last one's status (and are not told at all if they come back to where they were),
 * so that beyond the bound no more wait than there are systems.
 */
final class Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final int maxWaiting;
    private final Consumer<SystemEvent> systemListeners;
    private final Consumer<StatusChange> statusListeners;
    /** Runs at most one drain at a time, and only while something waits. */
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread named = new Thread(runnable, "hanse-system-events");
        named.setDaemon(true);
        return named;
    });
    // All guarded by this.
    /** What waits, in order: system events, status changes, and ids of systems whose merged change waits. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private final Map<UUID, StatusChange> merged = new HashMap<>();
    private int eventsWaiting;
    private int changesWaiting;
    private long dropped;
    private boolean draining;

    /**
     * @param maxWaiting how many system events, and how many status changes, wait one by one at most
     * @param systemListeners tells every system listener of an event
     * @param statusListeners tells every status listener of a change
     */
    Notifier(int maxWaiting, Consumer<SystemEvent> systemListeners, Consumer<StatusChange> statusListeners) {
        this.maxWaiting = maxWaiting;
        this.systemListeners = systemListeners;
        this.statusListeners = statusListeners;
    }

    /** Hands over what one change changed, to be told after what was handed over before; never blocks. */
    synchronized void announce(Changes changes) {
        if (thread.isShutdown()) {
            return;
        }
        for (SystemEvent event : changes.systemEvents) {
            if (eventsWaiting < maxWaiting) {
                waiting.add(event);
                eventsWaiting++;
            } else if (dropped++ % 1_000 == 0) {
                LOG.warn("System listeners are {} events behind: {} system events dropped so far", eventsWaiting,
                        dropped);
            }
        }
        for (StatusChange change : changes.statusChanges) {
            UUID system = change.systemId();
            StatusChange first = merged.get(system);
            if (first != null) {
                merged.put(system, new StatusChange(system, change.system(), first.previousOwn(), change.own(),
                        first.previousRolledUp(), change.rolledUp(), change.at()));
            } else if (changesWaiting < maxWaiting) {
                waiting.add(change);
                changesWaiting++;
            } else {
                waiting.add(system);
                merged.put(system, change);
            }
        }
        if (!draining && !waiting.isEmpty()) {
            draining = true;
            thread.execute(this::drain);
        }
    }

    /**
     * Tells what waits, ending when nothing does. Should telling fail, another drain goes on with
     * what still waits, so that one failure does not leave all later changes untold.
     */
    private void drain() {
        boolean ended = false;
        try {
            for (Object next = next(); next != null; next = next()) {
                if (next instanceof SystemEvent event) {
                    systemListeners.accept(event);
                } else {
                    statusListeners.accept((StatusChange) next);
                }
            }
            ended = true;
        } finally {
            if (!ended) {
                failed();
            }
        }
    }

    /** After a drain failed, while it still counts as draining: drains again if anything waits. */
    private synchronized void failed() {
        draining = !waiting.isEmpty() && !thread.isShutdown();
        if (draining) {
            thread.execute(this::drain);
        }
    }

    /** Returns the next thing to tell, or {@code null} when nothing waits. */
    private synchronized Object next() {
        for (Object next = waiting.poll(); next != null; next = waiting.poll()) {
            if (next instanceof SystemEvent) {
                eventsWaiting--;
                return next;
            }
            if (next instanceof StatusChange) {
                changesWaiting--;
                return next;
            }
            StatusChange change = merged.remove((UUID) next);
            if (change.own() != change.previousOwn() || change.rolledUp() != change.previousRolledUp()) {
                return change;
            }
        }
        draining = false;
        return null;
    }

    /** Tells what waits within five seconds, and then nothing more. */
    void stop() {
        synchronized (this) {
            thread.shutdown();
        }
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
