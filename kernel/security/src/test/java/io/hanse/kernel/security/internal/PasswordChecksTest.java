package io.hanse.kernel.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.UnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PasswordChecksTest {

    @Test
    void noMoreChecksRunAtOnceThanAllowed() throws Exception {
        PasswordChecks checks = new PasswordChecks(2, Duration.ofSeconds(30));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                done.add(callers.submit(() -> checks.run(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    running.decrementAndGet();
                    return true;
                })));
            }
            for (Future<Boolean> check : done) {
                assertTrue(check.get());
            }
        } finally {
            callers.shutdownNow();
        }

        assertEquals(2, most.get());
    }

    @Test
    void aCheckThatFindsNoTurnWithinTheWaitIsRefusedSayingWhenToComeBack() throws Exception {
        PasswordChecks checks = new PasswordChecks(1, Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> slow = takeATurn(checks, other, release);

            long before = System.nanoTime();
            UnavailableException refused = assertThrows(UnavailableException.class, () -> checks.run(() -> true));
            assertTrue(Duration.ofNanos(System.nanoTime() - before).compareTo(Duration.ofMillis(200)) >= 0,
                    "it waited for its turn first");
            assertEquals(Optional.of(Duration.ofSeconds(1)), refused.retryAfter());

            release.countDown();
            assertTrue(slow.get());
            assertTrue(checks.run(() -> true), "the turn is given back");
        } finally {
            other.shutdownNow();
        }
    }

    /** Takes a turn on another thread and holds it until released; returns once it is taken. */
    static Future<Boolean> takeATurn(PasswordChecks checks, ExecutorService on, CountDownLatch release)
            throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Future<Boolean> taken = on.submit(() -> checks.run(() -> {
            holding.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }));
        holding.await();
        return taken;
    }
}
