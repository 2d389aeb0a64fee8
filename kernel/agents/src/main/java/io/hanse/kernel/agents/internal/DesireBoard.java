package io.hanse.kernel.agents.internal;

import io.hanse.api.ConflictException;
import io.hanse.api.UnavailableException;
import io.hanse.api.agent.Desire;
import io.hanse.api.agent.DesireService;
import io.hanse.api.config.Settings;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.kernel.security.AgentIdentities.Identity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Desires waiting for their agents, and agents waiting for desires. An agent's long poll holds no
 * thread: it is answered when a desire for it arrives or when its wait is over. Desires live in
 * memory only: they are wishes, and a restart forgets them as an agent may ignore them. Each is
 * handed to its agent once. An agent waits in one poll at a time: a new poll answers the one it
 * waits in already with nothing, so that a connection the agent gave up holds no place.
 */
@Component(service = {DesireService.class, DesireBoard.class}, configurationPid = AgentConfig.PID)
public final class DesireBoard implements DesireService {

    /** The longest an agent's poll waits. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    /** A desire as handed to an agent. */
    public record Offered(String id, String kind, String system, String check, Instant created, String by) {
    }

    /** A poll waiting: how to answer it, and its timeout, cancelled once it is answered otherwise. */
    private record Waiting(Consumer<List<Offered>> answer, ScheduledFuture<?> timeout) {

        /** Answers the poll; returns whether it could, see {@link #answered}. */
        boolean accept(List<Offered> offered) {
            timeout.cancel(false);
            return answered(answer, offered);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DesireBoard.class);

    private final AgentRegistry registry;
    private final Clock clock;
    /** How the configuration was read last, for a change to fall back to. */
    private volatile Settings<AgentConfig> settings;
    private volatile int maxPerAgent;
    private volatile int maxPolls;
    // Both guarded by this.
    private final Map<String, Deque<Offered>> pending = new HashMap<>();
    private final Map<String, Waiting> polls = new HashMap<>();
    private final ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1,
            r -> new Thread(r, "hanse-desire-polls"));

    @Activate
    public DesireBoard(@Reference AgentRegistry registry, AgentConfig config) {
        this(registry, config, Clock.systemUTC());
    }

    DesireBoard(AgentRegistry registry, AgentConfig config, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        configure(Settings.of(AgentConfig.PID, AgentConfig.class, config));
        // A poll answered before its wait is over holds nothing until then: an agent polling in a loop
        // would keep each answered request for up to a minute, past the bound on waiting polls.
        timeouts.setRemoveOnCancelPolicy(true);
    }

    /** Takes changed bounds in place: desires kept and polls waiting stay, and the next ones follow them. */
    @Modified
    void modified(AgentConfig config) {
        configure(settings.change(config));
    }

    private void configure(Settings<AgentConfig> read) {
        maxPerAgent = read.whole("maxDesiresPerAgent", 1, Integer.MAX_VALUE);
        maxPolls = read.whole("maxLongPolls", 0, Integer.MAX_VALUE);
        settings = read;
    }

    /** Answers every waiting poll with nothing, so agents ask again elsewhere or later. */
    @Deactivate
    void stop() {
        timeouts.shutdownNow();
        List<Waiting> waiting;
        synchronized (this) {
            waiting = new ArrayList<>(polls.values());
            polls.clear();
        }
        waiting.forEach(poll -> poll.accept(List.of()));
    }

    /** Returns how many polls' timeouts are scheduled: one per poll still waiting. */
    int timeoutsScheduled() {
        return timeouts.getQueue().size();
    }

    @Override
    public List<String> publish(Caller caller, Desire desire) {
        caller.require(KernelPermissions.AGENTS_DESIRE, desire.system());
        List<String> targets = registry.agents().stream().map(AgentRegistry.AgentView::identity)
                .filter(agent -> !agent.disabled() && agent.systems().contains(desire.system()))
                .map(Identity::name)
                .filter(name -> desire.agent() == null || desire.agent().equals(name))
                .toList();
        if (targets.isEmpty()) {
            throw new ConflictException(desire.agent() == null
                    ? "no agent reports on system " + desire.system()
                    : "agent " + desire.agent() + " does not report on system " + desire.system());
        }
        Offered offered = new Offered(UUID.randomUUID().toString(), desire.kind(), desire.system(), desire.check(),
                clock.instant(), caller.source().name());
        targets.forEach(agent -> offer(agent, offered));
        return targets;
    }

    private void offer(String agent, Offered offered) {
        synchronized (this) {
            enqueue(agent, offered);
        }
        while (true) {
            Waiting waiting;
            List<Offered> handed;
            synchronized (this) {
                waiting = polls.remove(agent);
                if (waiting == null) {
                    return; // the agent's next poll takes them
                }
                handed = drain(agent);
            }
            if (waiting.accept(handed)) {
                return;
            }
            synchronized (this) {
                handed.forEach(kept -> enqueue(agent, kept)); // handed to nobody: for a poll come since, or the next
            }
        }
    }

    /** Under the lock: keeps a desire for its agent, once, and the newest {@code maxDesiresPerAgent}. */
    private void enqueue(String agent, Offered offered) {
        Deque<Offered> queue = pending.computeIfAbsent(agent, a -> new ArrayDeque<>());
        boolean same = queue.stream().anyMatch(o -> o.kind().equals(offered.kind())
                && o.system().equals(offered.system()) && Objects.equals(o.check(), offered.check()));
        if (!same) {
            queue.addLast(offered);
            if (queue.size() > maxPerAgent) {
                queue.removeFirst();
            }
        }
    }

    /**
     * Answers a poll, and returns whether it could: a poll's request is gone when the REST API that
     * took it has stopped since (restarted by a change of its configuration), and answering it fails.
     */
    private static boolean answered(Consumer<List<Offered>> answer, List<Offered> offered) {
        try {
            answer.accept(offered);
            return true;
        } catch (RuntimeException gone) {
            LOG.debug("A poll for desires could not be answered: its request is gone", gone);
            return false;
        }
    }

    /**
     * Hands an agent its desires: at once if there are any, else when one arrives or the wait is over.
     *
     * @param answer called once, on some thread, with the desires (empty when the wait is over); not
     *     called if this throws
     * @throws UnavailableException if there are none and as many polls wait as may: an empty answer
     *     at once would have the agent ask again within a second, each time a signed request
     */
    public void poll(String agent, Duration wait, Consumer<List<Offered>> answer) {
        List<Offered> handed;
        Waiting superseded;
        synchronized (this) {
            handed = drain(agent);
            superseded = polls.remove(agent);
            if (handed.isEmpty() && !wait.isZero()) {
                if (polls.size() >= maxPolls) {
                    throw new UnavailableException(maxPolls + " polls for desires wait already; poll again after"
                            + " Retry-After", comeBackAfter(wait));
                }
                polls.put(agent, new Waiting(answer, timeouts.schedule(() -> expire(agent, answer),
                        Math.min(wait.toMillis(), MAX_WAIT.toMillis()), TimeUnit.MILLISECONDS)));
                handed = null;
            }
        }
        if (superseded != null) {
            superseded.accept(List.of());
        }
        if (handed != null) {
            answer.accept(handed);
        }
    }

    /**
     * About as long as the poll would have waited, from half to one and a half times that at random,
     * so that polls refused together do not come back together; at least a second.
     */
    private static Duration comeBackAfter(Duration wait) {
        long seconds = Math.min(wait.toSeconds(), MAX_WAIT.toSeconds());
        return Duration.ofSeconds(Math.max(1, seconds / 2 + ThreadLocalRandom.current().nextLong(seconds + 1)));
    }

    private void expire(String agent, Consumer<List<Offered>> answer) {
        synchronized (this) {
            Waiting waiting = polls.get(agent);
            if (waiting == null || waiting.answer() != answer) {
                return; // answered already
            }
            polls.remove(agent);
        }
        answered(answer, List.of());
    }

    /** Under the lock. */
    private List<Offered> drain(String agent) {
        Deque<Offered> queue = pending.remove(agent);
        return queue == null ? List.of() : List.copyOf(queue);
    }
}
