package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> committed = ConcurrentHashMap.newKeySet();

    @Test
    void whatArrivesDuringATransactionIsStoredTogetherAndEachCallerReturnsOnceItsItemIsCommitted() throws Exception {
        GroupCommit<String> commits = new GroupCommit<>(items -> {
            calls.add(items);
            sleep(1);
            committed.addAll(items);
        });
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int caller = 0; caller < 8; caller++) {
                int c = caller;
                done.add(callers.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        String item = c + "/" + i;
                        commits.store(item);
                        assertTrue(committed.contains(item), item + " was committed before store returned");
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(800, committed.size());
        assertEquals(800, calls.stream().mapToInt(List::size).sum(), "each item stored once");
        assertTrue(calls.size() < 400, "grouped: " + calls.size() + " transactions for 800 items");
    }

    @Test
    void aFailedGroupIsStoredItemByItemSoThatOnlyTheFailingItemsCallerHearsOfIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<String> commits = new GroupCommit<>(items -> {
            calls.add(items);
            if (items.equals(List.of("first"))) {
                await(release);
            }
            if (items.contains("bad")) {
                throw new IllegalStateException("cannot store bad");
            }
            committed.addAll(items);
        });
        Thread first = new Thread(() -> commits.store("first"));
        first.start();
        waitUntil(() -> !calls.isEmpty());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> waiting = new ArrayList<>();
        for (String item : List.of("good", "bad")) {
            Thread thread = new Thread(() -> {
                try {
                    commits.store(item);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            });
            thread.start();
            waiting.add(thread);
        }
        waitUntil(() -> waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        release.countDown();
        first.join(10_000);
        for (Thread thread : waiting) {
            thread.join(10_000);
        }
        assertEquals(Set.of("first", "good"), committed);
        assertEquals(1, failures.size());
        assertEquals("cannot store bad", failures.get(0).getMessage());
        assertEquals(4, calls.size(), "first alone, good and bad together, then each alone: " + calls);
        assertEquals(List.of("first"), calls.get(0));
        assertEquals(Set.of("good", "bad"), Set.copyOf(calls.get(1)));
        assertEquals(Set.of(List.of("good"), List.of("bad")), Set.of(calls.get(2), calls.get(3)));
    }

    @Test
    void aLoneCallerHearsWhatWentWrong() {
        GroupCommit<String> commits = new GroupCommit<>(items -> {
            throw new IllegalStateException("database down");
        });
        assertEquals("database down", assertThrows(IllegalStateException.class, () -> commits.store("x")).getMessage());
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
