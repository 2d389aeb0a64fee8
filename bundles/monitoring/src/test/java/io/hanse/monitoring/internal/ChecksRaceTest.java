package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ConflictException;
import io.hanse.api.agent.AgentObservation;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.StatusReports;
import io.hanse.testing.TestCaller;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a batch of results changes is recorded at a time read once its checks are locked: a batch
 * that is held up between reading the time and taking the locks must not record a change before one
 * that another caller made meanwhile.
 */
class ChecksRaceTest {

    /** A clock whose next reading on one thread is taken at once but handed back only once released. */
    private static final class PausingClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-02T10:00:00Z");
        volatile Thread pausing;
        final CountDownLatch paused = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);

        @Override
        public Instant instant() {
            Instant read = now;
            if (Thread.currentThread() == pausing) {
                pausing = null;
                paused.countDown();
                try {
                    assertTrue(resume.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return read;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final KernelDatabase database = KernelDatabase.h2().apply(ChecksRaceTest.class.getClassLoader(),
            "db/io.hanse.monitoring/changelog.xml");
    private final PausingClock clock = new PausingClock();
    private final MemorySystems systems = new MemorySystems();
    private final MemoryTimeline timeline = new MemoryTimeline(Set.of("web-1"), Checks.TIMELINE_CHUNK);
    private final Sql sql = new Sql(database.dataSource());
    private final Outbox outbox = new Outbox(sql, systems, timeline);
    private final Checks checks = new Checks(new CheckStore(sql), systems, timeline,
            new Downtimes(new DowntimeStore(sql), systems, timeline, outbox, clock), outbox, MonitoringParts.defaults(),
            clock);

    @AfterEach
    void close() {
        checks.deactivate();
        database.close();
    }

    private AgentObservation result(long seq, String status) {
        return new AgentObservation("agent:a:1:" + seq, new Source(Source.Kind.AGENT, "a"), CheckResult.TYPE, "web-1",
                clock.now, "{\"check\":\"disk\",\"status\":\"" + status + "\",\"output\":\"" + status
                        + "\",\"intervalSeconds\":60,\"maxAttempts\":1}");
    }

    @Test
    void aRecoveryHeldUpBeforeItsLockDoesNotEndAnAcknowledgementBeforeItWasMade() throws Exception {
        systems.add("web-1");
        checks.start(new StatusReports());
        checks.accept(List.of(result(1, "critical")));
        checks.flush();

        // The recovery comes at 10:00:30; its batch is held up as it reads the time.
        clock.now = clock.now.plusSeconds(30);
        AgentObservation recovery = result(2, "ok");
        Thread batch = new Thread(() -> checks.accept(List.of(recovery)));
        clock.pausing = batch;
        batch.start();
        assertTrue(clock.paused.await(10, TimeUnit.SECONDS));

        // Meanwhile, at 10:00:31, alice acknowledges the problem: at once if the batch holds no lock yet, or
        // else once the batch has recorded the recovery, when there is no problem left to acknowledge.
        clock.now = clock.now.plusSeconds(1);
        AtomicReference<RuntimeException> refused = new AtomicReference<>();
        Thread alice = new Thread(() -> {
            try {
                checks.acknowledge(TestCaller.everywhere("alice"), "web-1", "disk", "on it", false, null);
            } catch (ConflictException e) {
                refused.set(e);
            }
        });
        alice.start();
        alice.join(1_000);
        clock.resume.countDown();
        batch.join(10_000);
        alice.join(10_000);
        assertFalse(batch.isAlive() || alice.isAlive(), "both are done");
        checks.flush();

        assertNull(checks.get("web-1", "disk").orElseThrow().ack(), "the recovery ends any acknowledgement");
        List<Event> acks = timeline.events().stream().filter(e -> e.type().startsWith("monitoring.ack")).toList();
        if (refused.get() == null) {
            assertEquals(List.of("monitoring.acknowledged", "monitoring.ack-ended"),
                    acks.stream().map(Event::type).toList());
            assertFalse(acks.get(1).time().isBefore(acks.get(0).time()), "ack-ended at " + acks.get(1).time()
                    + ", before the acknowledgement it ends was made at " + acks.get(0).time());
        } else {
            assertEquals(List.of(), acks, refused.get().getMessage());
        }
    }
}
