package io.hanse.kernel.federation.internal;

import io.hanse.api.NotFoundException;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusContributor;
import io.hanse.api.status.StatusSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, as the status contributor {@value #NAME}, when what a peer last said of its systems may be
 * out of date: once a peer has had no link for {@link FederationConfig#unlinkedSeconds()}, each of its
 * remote systems here is reported {@link Status#UNKNOWN}, so that one the peer last called ok no
 * longer looks ok (one it called critical stays critical: a roll-up takes the worse). When the link is
 * back the reports are withdrawn at once, and the snapshot the peer sends on every new link says how
 * the systems are.
 */
@Component(service = StatusContributor.class, immediate = true)
public final class LinkWatch implements StatusContributor {

    static final String NAME = "peer-link";
    /** How often the peers' links are looked at. */
    static final Duration EVERY = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(LinkWatch.class);

    /**
     * A peer without a link.
     *
     * @param peer its name
     * @param since when it last had one, or when this instance started federating if it has had none since
     * @param systems its remote systems here, by their slugs here
     */
    record Unlinked(String peer, Instant since, List<String> systems) {
    }

    private final Supplier<List<Unlinked>> unlinked;
    private final Duration grace;
    /** Sets what runs each time a peer's link opens. */
    private final Consumer<Runnable> whenLinked;
    private final Clock clock;
    private ScheduledExecutorService timer;
    private StatusSink sink;
    /** What this contributor reports now: each system's summary, by its slug. */
    private Map<String, String> reported = Map.of();
    /** The peers whose systems it reports. */
    private Set<String> peers = Set.of();

    @Activate
    public LinkWatch(@Reference Federation federation) {
        this(federation::unlinked, federation.unlinkedGrace(), federation::whenLinked, Clock.systemUTC());
    }

    LinkWatch(Supplier<List<Unlinked>> unlinked, Duration grace, Consumer<Runnable> whenLinked, Clock clock) {
        this.unlinked = unlinked;
        this.grace = grace;
        this.whenLinked = whenLinked;
        this.clock = clock;
    }

    @Activate
    void open() {
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "hanse-federation-link-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::watch, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledExecutorService watching = timer;
        whenLinked.accept(() -> {
            try {
                watching.execute(this::watch);
            } catch (RejectedExecutionException e) {
                // Closed a moment ago.
            }
        });
    }

    @Deactivate
    void close() {
        whenLinked.accept(() -> { });
        timer.shutdownNow();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start(StatusSink statusSink) {
        sink = statusSink;
        reported = Map.of();
    }

    @Override
    public synchronized void stop() {
        sink = null;
    }

    private void watch() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("Could not tell which peers' systems are out of date; trying again in {} s", EVERY.toSeconds(),
                    e);
        }
    }

    /** Reports the systems of peers without a link for longer than the grace, and withdraws the others. */
    synchronized void check() {
        if (sink == null) {
            return;
        }
        Instant now = clock.instant();
        Map<String, String> due = new HashMap<>();
        Set<String> duePeers = new HashSet<>();
        for (Unlinked peer : unlinked.get()) {
            if (!peer.systems().isEmpty() && !peer.since().plus(grace).isAfter(now)) {
                String summary = "no link with " + peer.peer() + " since "
                        + peer.since().truncatedTo(ChronoUnit.SECONDS) + ": what it said last may be out of date";
                peer.systems().forEach(system -> due.put(system, summary));
                duePeers.add(peer.peer());
                if (!peers.contains(peer.peer())) {
                    LOG.warn("No link with {} since {}: its {} systems here are unknown until it is back", peer.peer(),
                            peer.since(), peer.systems().size());
                }
            }
        }
        Map<String, String> reporting = new HashMap<>();
        reported.keySet().stream().filter(system -> !due.containsKey(system)).forEach(sink::clear);
        due.forEach((system, summary) -> {
            try {
                if (!summary.equals(reported.get(system))) {
                    sink.report(system, Status.UNKNOWN, summary);
                }
                reporting.put(system, summary);
            } catch (NotFoundException e) {
                // Deleted a moment ago, as the peer's grant was revoked: nothing to say about it.
            }
        });
        reported = Map.copyOf(reporting);
        peers = Set.copyOf(duePeers);
    }
}
