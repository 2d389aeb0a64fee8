package io.hanse.kernel.core.internal.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.status.Status;
import io.hanse.api.status.StatusChange;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Rules;
import io.hanse.api.system.SystemEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotifierTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final UUID X = UUID.randomUUID();
    private static final UUID Y = UUID.randomUUID();
    private static final UUID Z = UUID.randomUUID();

    private final CountDownLatch blocked = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    /** What the listeners were told, in order: slugs of system events, and status changes. */
    private final LinkedBlockingQueue<Object> told = new LinkedBlockingQueue<>();
    private final Notifier notifier = new Notifier(3, event -> {
        told.add(event.subject().slug());
        if (event.subject().slug().equals("broken")) {
            throw new NoClassDefFoundError("io/hanse/plugin/Gone");
        }
        if (event.subject().slug().equals("slow")) {
            blocked.countDown();
            await(release);
        }
    }, told::add);

    @AfterEach
    void stop() {
        release.countDown();
        notifier.stop();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Announces events about new systems of these slugs; the listener waits at the one named slow,
     * and throws an error at the one named broken.
     */
    private void events(String... slugs) {
        Changes changes = new Changes();
        for (String slug : slugs) {
            ManagedSystem system = new ManagedSystem(UUID.randomUUID(), slug, slug, "component", Map.of(), "",
                    List.of(), List.of(), Rules.NONE, List.of(), Optional.empty(), T0, T0);
            changes.systemEvents.add(new SystemEvent(SystemEvent.Type.ADDED, system, Optional.empty(), List.of(),
                    List.of()));
        }
        notifier.announce(changes);
    }

    private void status(UUID id, String slug, Status before, Status after) {
        Changes changes = new Changes();
        changes.statusChanges.add(new StatusChange(id, slug, before, after, before, after, T0));
        notifier.announce(changes);
    }

    /** Returns the next things the listeners are told. */
    private List<Object> told(int count) throws InterruptedException {
        List<Object> seen = new ArrayList<>();
        while (seen.size() < count) {
            Object next = told.poll(5, TimeUnit.SECONDS);
            assertNotNull(next, "told only " + seen + " within 5 seconds");
            seen.add(next);
        }
        return seen;
    }

    @Test
    void beyondTheBoundTheStatusChangesOfOneSystemWaitMergedIntoOneInThePlaceOfTheFirst()
            throws InterruptedException {
        events("slow");
        await(blocked);
        status(X, "x", Status.NO_DATA, Status.WARNING);
        status(Y, "y", Status.NO_DATA, Status.OK);
        status(X, "x", Status.WARNING, Status.CRITICAL);
        // Three wait one by one; beyond them, those of x, y and z merge, z's back to where it was.
        status(X, "x", Status.CRITICAL, Status.OK);
        status(Y, "y", Status.OK, Status.WARNING);
        status(Z, "z", Status.OK, Status.CRITICAL);
        status(X, "x-renamed", Status.OK, Status.UNKNOWN);
        status(Y, "y", Status.WARNING, Status.CRITICAL);
        status(Z, "z", Status.CRITICAL, Status.OK);

        release.countDown();
        events("last");

        assertEquals(List.of("slow",
                new StatusChange(X, "x", Status.NO_DATA, Status.WARNING, Status.NO_DATA, Status.WARNING, T0),
                new StatusChange(Y, "y", Status.NO_DATA, Status.OK, Status.NO_DATA, Status.OK, T0),
                new StatusChange(X, "x", Status.WARNING, Status.CRITICAL, Status.WARNING, Status.CRITICAL, T0),
                new StatusChange(X, "x-renamed", Status.CRITICAL, Status.UNKNOWN, Status.CRITICAL, Status.UNKNOWN,
                        T0),
                new StatusChange(Y, "y", Status.OK, Status.CRITICAL, Status.OK, Status.CRITICAL, T0),
                "last"), told(7));
    }

    @Test
    void atMostTheBoundOfSystemEventsWaitAndFurtherOnesAreDropped() throws InterruptedException {
        events("slow");
        await(blocked);
        events("a", "b");
        events("c", "d", "e");

        release.countDown();

        assertEquals(List.of("slow", "a", "b", "c"), told(4));
        events("f");
        assertEquals(List.of("f"), told(1), "d and e were dropped; f found room again");
    }

    @Test
    void anErrorWhileTellingLeavesNothingUntoldAfterIt() throws InterruptedException {
        events("slow");
        await(blocked);
        events("broken", "a");
        status(X, "x", Status.OK, Status.WARNING);

        release.countDown();

        assertEquals(List.of("slow", "broken", "a",
                new StatusChange(X, "x", Status.OK, Status.WARNING, Status.OK, Status.WARNING, T0)), told(4));
        events("b");
        assertEquals(List.of("b"), told(1), "told again after the error");
    }
}
