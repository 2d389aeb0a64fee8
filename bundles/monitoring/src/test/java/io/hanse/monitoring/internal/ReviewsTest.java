package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.hanse.api.ConflictException;
import io.hanse.kernel.store.Database;
import io.hanse.testing.TestCaller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The review workflow on H2 and on PostgreSQL. */
class ReviewsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void ofTwoPeopleDefiningAReviewOfTheSameNameAtOnceOneGetsItAndTheOtherAConflict(Database.Kind kind)
            throws Exception {
        ExecutorService people = Executors.newFixedThreadPool(2);
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("shop");
            for (int round = 0; round < 10; round++) {
                String name = "weekly-" + round;
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Review>> defined = new ArrayList<>();
                for (int person = 0; person < 2; person++) {
                    defined.add(people.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return parts.reviews.define(ALICE, name, "shop", null, 7);
                    }));
                }
                List<String> outcomes = new ArrayList<>();
                for (Future<Review> review : defined) {
                    try {
                        outcomes.add(review.get(30, TimeUnit.SECONDS).name());
                    } catch (ExecutionException e) {
                        outcomes.add(assertInstanceOf(ConflictException.class, e.getCause()).getMessage());
                    }
                }
                outcomes.sort(null);
                assertEquals(List.of("there is a review " + name + " already", name), outcomes);
            }
        } finally {
            people.shutdownNow();
        }
    }
}
