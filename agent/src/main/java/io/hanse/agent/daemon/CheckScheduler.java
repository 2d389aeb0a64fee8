package io.hanse.agent.daemon;

import io.hanse.agent.check.CheckResult;
import io.hanse.agent.check.CheckRunner;
import io.hanse.agent.common.Log;
import io.hanse.agent.config.CheckSpec;
import io.hanse.agent.facts.FactsCollector;
import io.hanse.agent.spool.Observation;
import io.hanse.agent.spool.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Runs each configured check at its interval (the first run at a random point of the first
 * interval, or of the first {@link #FIRST_RUN_SPREAD} if that is shorter, so that checks and agents
 * spread out and yet a daily check reports within minutes of a start), never two runs of one check
 * at a time, and collects facts at start and at their interval. Every result goes to the outbox
 * before it counts.
 *
 * <p>A run that is due starts at once on a thread of its own: a check's timeout may be as long as
 * its interval (up to a week), so checks waiting for a few shared threads would wait behind hung
 * ones. As a check never runs twice at once, no more check processes run at a time than checks are
 * configured, and no more threads run them.
 */
final class CheckScheduler {

    /** The longest a check's first run waits after the start. */
    static final Duration FIRST_RUN_SPREAD = Duration.ofMinutes(5);
    private static final long STOP_WAIT_SECONDS = 5;

    private final List<CheckSpec> checks;
    private final CheckRunner runner;
    private final Outbox outbox;
    private final FactsCollector facts;
    private final String factsSystem;
    private final Duration factsInterval;
    private final Timing timing;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(
            task -> new Thread(task, "hanse-schedule"));
    private final ExecutorService workers = Executors.newCachedThreadPool(task -> new Thread(task, "hanse-check"));

    /** {@code factsSystem} is {@code null} when facts have no system to be about and are not collected. */
    CheckScheduler(List<CheckSpec> checks, CheckRunner runner, Outbox outbox, FactsCollector facts,
            String factsSystem, Duration factsInterval, Timing timing) {
        this.checks = List.copyOf(checks);
        this.runner = runner;
        this.outbox = outbox;
        this.facts = facts;
        this.factsSystem = factsSystem;
        this.factsInterval = factsInterval;
        this.timing = timing;
    }

    void start() {
        for (CheckSpec check : checks) {
            long interval = check.interval().toMillis();
            clock.scheduleAtFixedRate(() -> runNow(check), firstDelayMillis(check.interval(), timing.random()),
                    interval, TimeUnit.MILLISECONDS);
        }
        if (factsSystem != null) {
            clock.scheduleAtFixedRate(this::collectFacts, 0, factsInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Returns how long after the start a check's first run comes: at random, within its interval and the spread. */
    static long firstDelayMillis(Duration interval, RandomGenerator random) {
        return random.nextLong(Math.min(interval.toMillis(), FIRST_RUN_SPREAD.toMillis()));
    }

    /** Starts a run of {@code check} unless one is already under way; returns whether it started one. */
    boolean runNow(CheckSpec check) {
        if (!running.add(check.name())) {
            return false;
        }
        try {
            workers.execute(() -> {
                try {
                    spool(check);
                } finally {
                    running.remove(check.name());
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            // Stopping: no more runs.
            running.remove(check.name());
            return false;
        }
    }

    /** Collects facts and spools them now, off the caller's thread; returns whether it started that. */
    boolean collectFactsNow() {
        if (factsSystem == null || clock.isShutdown()) {
            return false;
        }
        clock.execute(this::collectFacts);
        return true;
    }

    /** Stops scheduling and kills checks under way; their results are not spooled. */
    void stop() throws InterruptedException {
        clock.shutdownNow();
        workers.shutdownNow();
        clock.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        workers.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void spool(CheckSpec check) {
        try {
            CheckResult result = runner.run(check);
            if (!Thread.currentThread().isInterrupted()) {
                outbox.put(Observation.RESULT, check.system(), Instant.now(), result.toJson());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Log.error("check " + check.name() + ": its result could not be spooled: " + e.getMessage());
        }
    }

    private void collectFacts() {
        try {
            outbox.put(Observation.FACTS, factsSystem, Instant.now(), facts.collect());
        } catch (RuntimeException e) {
            Log.error("facts could not be spooled: " + e.getMessage());
        }
    }
}
