package io.hanse.agent.daemon;

import io.hanse.agent.check.CheckRunner;
import io.hanse.agent.check.ProcessRunner;
import io.hanse.agent.client.HanseClient;
import io.hanse.agent.common.Log;
import io.hanse.agent.common.Text;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.config.CheckSpec;
import io.hanse.agent.facts.FactsCollector;
import io.hanse.agent.facts.Host;
import io.hanse.agent.identity.AgentKey;
import io.hanse.agent.identity.Identity;
import io.hanse.agent.identity.RequestSigner;
import io.hanse.agent.spool.BootEpoch;
import io.hanse.agent.spool.Outbox;
import io.hanse.agent.spool.Spool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The running agent: opens the spool and starts the check scheduler, the sender, the heartbeat,
 * the desires poller and (if work handlers are configured) the work claimer; {@link #stop} ends
 * them gracefully, with everything spooled already on disk.
 */
public final class Daemon {

    private static final long JOIN_MILLIS = 5000;

    private final AgentConfig config;
    private final Identity identity;
    private final AgentKey key;
    private final String version;
    private final Timing timing;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Spool spool;
    private StatusBoard status;
    private CheckScheduler scheduler;
    private WorkClaimer claimer;

    /** Creates the daemon for an enrolled agent; nothing runs before {@link #start}. */
    public Daemon(AgentConfig config, Identity identity, AgentKey key, String version, Timing timing) {
        this.config = config;
        this.identity = identity;
        this.key = key;
        this.version = version;
        this.timing = timing;
    }

    /**
     * Opens the spool and starts every thread.
     *
     * @throws IllegalStateException if another agent process holds the spool
     */
    public synchronized void start() {
        Path stateDir = config.stateDir();
        long bootEpoch = BootEpoch.next(stateDir, Clock.systemUTC());
        spool = Spool.open(stateDir.resolve("spool"), config.spoolMaxBytes(),
                Spool.segmentBytesFor(config.spoolMaxBytes()), Outbox::isRecord);
        Outbox outbox = new Outbox(spool, bootEpoch);
        // One client for every loop: while the server refuses the agent, it holds back all of them together,
        // and the status file tells at once, as few requests go through then to write it after.
        HanseClient client = new HanseClient(config.restRoot(), new RequestSigner(key, Clock.systemUTC()), version,
                timing.backoffMax(), () -> status.refusalChanged());
        status = new StatusBoard(stateDir, bootEpoch, outbox::stats, client::refusal);
        ProcessRunner processes = new ProcessRunner();
        String factsSystem = config.factsSystem() != null ? config.factsSystem() : identity.firstSystem().orElse(null);
        warnAboutScope(factsSystem);
        scheduler = new CheckScheduler(config.checks(), new CheckRunner(processes), outbox,
                new FactsCollector(Path.of("/"), version), factsSystem, config.factsInterval(), timing);
        RateLimiter limiter = new RateLimiter(timing.refreshGap(), System::nanoTime);
        String hostname = Host.name();
        int checks = config.checks().size();
        Log.info("hanse-agent " + version + " starting as " + Text.printable(identity.agent(), 200) + " ("
                + key.fingerprint() + ") for " + config.server() + ": " + checks + (checks == 1 ? " check" : " checks")
                + ", boot " + bootEpoch + ", " + spool.stats().pendingRecords() + " observations waiting in the spool");
        start("hanse-sender", new Sender(outbox, client, status, config.batchMax(), timing));
        Heartbeat heartbeat = new Heartbeat(client, config, outbox, status, version, hostname, timing);
        start("hanse-heartbeat", heartbeat);
        start("hanse-status", () -> Loop.repeat("writing the status file", new Backoff(timing),
                () -> Thread.sleep(status.keepFresh(Duration.ofSeconds(heartbeat.intervalSeconds())).toMillis())));
        start("hanse-desires", new DesirePoller(client, config, scheduler, limiter, timing));
        if (!config.work().isEmpty()) {
            claimer = new WorkClaimer(config.work(), client, processes, timing);
            start("hanse-work-claim", claimer);
        }
        scheduler.start();
    }

    /** Stops scheduling, kills checks and work under way, ends every thread and closes the spool. */
    public synchronized void stop() {
        if (spool == null || stopped.getCount() == 0) {
            return;
        }
        Log.info("stopping");
        try {
            scheduler.stop();
            if (claimer != null) {
                claimer.stop();
            }
            threads.forEach(Thread::interrupt);
            for (Thread thread : threads) {
                thread.join(JOIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        status.stopped();
        status.write();
        spool.close();
        stopped.countDown();
        Log.info("stopped; " + spool.stats().pendingRecords() + " observations wait in the spool for the next start");
    }

    /** Waits until the daemon has stopped. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void start(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        threads.add(thread);
        thread.start();
    }

    private void warnAboutScope(String factsSystem) {
        if (factsSystem == null) {
            Log.warn("facts are not collected: facts.system is not set and the agent was enrolled for no system");
        }
        if (!identity.server().equals(config.server().toString())) {
            Log.warn("enrolled with " + identity.server() + " but configured for " + config.server());
        }
        for (CheckSpec check : config.checks()) {
            if (!identity.systems().contains(check.system())) {
                Log.warn("check " + check.name() + " is about " + check.system() + ", which this agent was not "
                        + "enrolled for: the server will refuse its results");
            }
        }
    }
}
