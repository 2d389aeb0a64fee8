package io.hanse.kernel.agents.internal;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hanse.api.ForbiddenException;
import io.hanse.api.HanseException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.TooLargeException;
import io.hanse.api.UnavailableException;
import io.hanse.api.agent.AgentObservation;
import io.hanse.api.agent.ObservationHandler;
import io.hanse.api.config.Settings;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.timeline.Appended;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.Timeline;
import io.hanse.kernel.security.AgentIdentities.Identity;
import io.hanse.kernel.security.Refusals;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in agents' observations: checks a whole batch first, hands the observations a plugin's
 * {@link ObservationHandler} takes to it, then appends the rest to the timeline in one transaction,
 * so a batch is stored entirely or, when anything refuses it, not at all (a handler that stored its
 * part sees it again when the agent retries). (agent, boot epoch, sequence) becomes the
 * observation's id, so an observation sent twice is stored once.
 */
@Component(service = Ingest.class, configurationPid = AgentConfig.PID)
public final class Ingest {

    /** The largest body of one observation, as the protocol says. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);
    /** How a handler claims every type of a namespace, as in {@code monitoring.*}. */
    private static final String NAMESPACE = ".*";
    private static final Pattern NAMESPACE_CLAIM = Pattern.compile("[a-z][a-z0-9-]*\\.\\*");
    /** Where the agents bundle keeps which plugin takes which types, in its data area. */
    private static final String CLAIMS_FILE = "observation-claims";
    /** When an agent is to send again what waits for a plugin that is stopped or starting. */
    private static final Duration AWAITED_RETRY = Duration.ofSeconds(10);

    /**
     * One observation as an agent sends it.
     *
     * @param body the JSON text of its body, as read from the request
     */
    public record Observation(long seq, String type, String system, Instant time,
            @JsonDeserialize(using = JsonText.class) String body) {
    }

    /** What a batch came to. */
    public record Outcome(int accepted, int duplicates) {
    }

    private final Timeline timeline;
    private final AuditLog audit;
    private final Clock clock;
    /** How the configuration was read last, for a change to fall back to. */
    private volatile Settings<AgentConfig> settings;
    private volatile int maxBatch;
    private volatile int maxConcurrentBatches;
    /** How many batches are being stored now. */
    private final AtomicInteger storing = new AtomicInteger();
    private final Refusals refusals;
    private final Map<String, ObservationHandler> handlers = new ConcurrentHashMap<>();
    /** The symbolic name of each handler's bundle. */
    private final Map<ObservationHandler, String> bundles = new ConcurrentHashMap<>();
    private final Claims claims;

    @Activate
    public Ingest(@Reference Timeline timeline, @Reference AuditLog audit, AgentConfig config, BundleContext context) {
        this(timeline, audit, config, Clock.systemUTC(), new Claims(context.getDataFile(CLAIMS_FILE).toPath(),
                name -> Stream.of(context.getBundles()).anyMatch(bundle -> name.equals(bundle.getSymbolicName()))));
    }

    Ingest(Timeline timeline, AuditLog audit, AgentConfig config, Clock clock, Claims claims) {
        this.timeline = timeline;
        this.audit = audit;
        this.clock = clock;
        this.claims = claims;
        configure(Settings.of(AgentConfig.PID, AgentConfig.class, config));
        this.refusals = new Refusals(clock);
    }

    /** Takes a changed batch limit in place, for the next request. */
    @Modified
    void modified(AgentConfig config) {
        configure(settings.change(config));
    }

    private void configure(Settings<AgentConfig> read) {
        maxBatch = read.whole("maxBatch", 1, Integer.MAX_VALUE);
        maxConcurrentBatches = read.whole("maxConcurrentBatches", 1, Integer.MAX_VALUE);
        settings = read;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeHandler")
    void bindHandler(ObservationHandler handler, ServiceReference<ObservationHandler> reference) {
        addHandler(handler, reference.getBundle().getSymbolicName());
    }

    /**
     * Hands a handler its types, and notes that they are its bundle's: while that bundle is
     * installed, they wait for it whenever it is not there.
     */
    void addHandler(ObservationHandler handler, String bundle) {
        for (String type : handler.types()) {
            String claimed = type.endsWith(NAMESPACE) ? checkNamespace(type) : EventDraft.checkType(type);
            ObservationHandler kept = handlers.putIfAbsent(claimed, handler);
            if (kept != null) {
                LOG.warn("Observations of type {} go to {}, not to {} which also asks for them", type,
                        kept.getClass().getName(), handler.getClass().getName());
            }
        }
        bundles.put(handler, bundle);
        claims.claim(bundle, handlers.entrySet().stream().filter(taken -> bundle.equals(bundles.get(taken.getValue())))
                .map(Map.Entry::getKey).collect(Collectors.toSet()));
    }

    void removeHandler(ObservationHandler handler) {
        handlers.values().removeIf(taken -> taken == handler);
        bundles.remove(handler);
    }

    /**
     * Stores a batch, acknowledged by returning: only after the database committed it.
     *
     * @throws InvalidRequestException if any observation is malformed, naming it by its sequence number
     * @throws TooLargeException if any body is larger than {@link #MAX_BODY_BYTES}
     * @throws ForbiddenException if any is about a system outside the agent's scope; audited at most
     *     once a minute per agent
     * @throws UnavailableException if a plugin's handler failed, or as many batches as may are being
     *     stored already
     */
    public Outcome accept(Caller caller, Identity agent, long bootEpoch, List<Observation> observations) {
        if (bootEpoch <= 0) {
            throw new InvalidRequestException("bootEpoch is required: the agent's start time in epoch milliseconds");
        }
        int limit = maxBatch;
        if (observations == null || observations.isEmpty() || observations.size() > limit) {
            throw new InvalidRequestException("a batch holds 1 to " + limit + " observations");
        }
        Instant latest = clock.instant().plus(AgentObservation.MAX_AHEAD);
        List<EventDraft> drafts = new ArrayList<>(observations.size());
        Map<ObservationHandler, List<AgentObservation>> handled = new LinkedHashMap<>();
        Set<Long> seqs = new HashSet<>();
        // Why the batch waits for a plugin, once every observation is checked: a refusal for good comes first.
        String waiting = null;
        for (Observation observation : observations) {
            EventDraft draft = draft(caller, agent, bootEpoch, observation, latest);
            if (!seqs.add(observation.seq())) {
                // Stored once, the second would be counted as a duplicate of the first: lost, unseen.
                throw new InvalidRequestException("observation seq " + observation.seq()
                        + ": seq is in the batch twice");
            }
            ObservationHandler handler = handlers.getOrDefault(draft.type(),
                    handlers.get(namespace(draft.type()) + NAMESPACE));
            if (handler == null) {
                Optional<String> plugin = waiting == null
                        ? claims.awaited(draft.type(), namespace(draft.type()) + NAMESPACE) : Optional.empty();
                if (plugin.isPresent()) {
                    waiting = "observation seq " + observation.seq() + ": " + draft.type() + " observations are taken"
                            + " by " + plugin.get() + ", which is not running; send the batch again later";
                    // Said once a minute per plugin at most, as agents send again every 10 s while it is away.
                    OptionalLong suppressed = refusals.count("plugin/" + plugin.get());
                    if (suppressed.isPresent()) {
                        LOG.warn("Agents' observations of {} wait for {}, which takes them but is not running: they are"
                                + " answered 503 until its handler is there again, or the bundle is uninstalled{}",
                                draft.type(), plugin.get(), Refusals.suppressed(suppressed.getAsLong()));
                    }
                }
                drafts.add(draft);
            } else {
                handled.computeIfAbsent(handler, h -> new ArrayList<>()).add(new AgentObservation(draft.id(),
                        draft.source(), draft.type(), draft.system(), draft.time(), draft.body()));
            }
        }
        if (waiting != null) {
            throw new UnavailableException(waiting, AWAITED_RETRY);
        }
        int most = maxConcurrentBatches;
        if (storing.incrementAndGet() > most) {
            storing.decrementAndGet();
            // Said once a minute at most: every agent sends again after the Retry-After while it lasts.
            OptionalLong suppressed = refusals.count("busy");
            if (suppressed.isPresent()) {
                LOG.warn("{} batches of agents' observations are being stored at once, as many as maxConcurrentBatches"
                        + " in etc/io.hanse.agents.cfg allows; more are answered 503 until one is done. If this"
                        + " lasts, a plugin's handler or the database has stopped answering{}", most,
                        Refusals.suppressed(suppressed.getAsLong()));
            }
            throw new UnavailableException(most + " batches are being stored already; send the batch again later",
                    AWAITED_RETRY);
        }
        try {
            int accepted = 0;
            for (Map.Entry<ObservationHandler, List<AgentObservation>> part : handled.entrySet()) {
                accepted += handOver(part.getKey(), part.getValue());
            }
            if (!drafts.isEmpty()) {
                accepted += (int) timeline.append(drafts).stream().filter(Appended::created).count();
            }
            return new Outcome(accepted, observations.size() - accepted);
        } finally {
            storing.decrementAndGet();
        }
    }

    /** Hands observations to their handler; a plugin's failure is the agent's cue to send again later. */
    private static int handOver(ObservationHandler handler, List<AgentObservation> observations) {
        try {
            return handler.accept(observations);
        } catch (HanseException refused) {
            throw refused;
        } catch (RuntimeException e) {
            LOG.error("{} failed to take {} observations of type {}", handler.getClass().getName(),
                    observations.size(), observations.get(0).type(), e);
            throw new UnavailableException("the handler of " + observations.get(0).type()
                    + " observations failed; send the batch again later");
        }
    }

    private static String checkNamespace(String claim) {
        if (!NAMESPACE_CLAIM.matcher(claim).matches()) {
            throw new IllegalArgumentException("an observation handler claims a namespace as one lower-case word and"
                    + " .*, such as monitoring.*, not " + claim);
        }
        return claim;
    }

    /** The first word of a type: {@code monitoring} of {@code monitoring.result}. */
    private static String namespace(String type) {
        return type.substring(0, type.indexOf('.'));
    }

    private EventDraft draft(Caller caller, Identity agent, long bootEpoch, Observation observation, Instant latest) {
        if (observation == null) {
            throw new InvalidRequestException("a batch holds observations, not null");
        }
        String which = "observation seq " + observation.seq() + ": ";
        if (observation.seq() < 1) {
            throw new InvalidRequestException(which + "seq counts from 1");
        }
        if (observation.system() == null || observation.system().isBlank()) {
            throw new InvalidRequestException(which + "system is required");
        }
        try {
            // A plugin's namespace is its own to take or refuse: only the kernel's are refused here.
            EventDraft.checkClientType(observation.type(), List.of());
            // No system has a name of another form: it is not repeated whole in the refusal, the log or the audit.
            SystemDraft.slug(observation.system());
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(which + e.getMessage());
        }
        if (!caller.may(KernelPermissions.AGENTS_REPORT, observation.system())) {
            // Written once a minute per agent at most, as its refused requests are: an agent that keeps
            // sending what it may not would otherwise fill the audit log.
            // Its systems are named, as a system renamed since the agent's configuration was written is reported
            // on under its old slug: it keeps its agent, under the new one.
            String refusal = "agent " + Messages.quote(agent.name()) + " may not report on system "
                    + Messages.quote(observation.system())
                    + "; it reports on " + String.join(", ", agent.systems());
            OptionalLong suppressed = refusals.count("agent/" + agent.id());
            if (suppressed.isPresent()) {
                audit.append(new AuditEntry(caller.source(), "agent.report-refused", "agent/" + agent.name(), null,
                        JsonNodeFactory.instance.objectNode().put("system", observation.system())
                                .put("suppressed", suppressed.getAsLong()).toString()));
                LOG.warn("Refused observations: {} ({} more refusals of this agent in the last minute)", refusal,
                        suppressed.getAsLong());
            }
            throw new ForbiddenException(which + refusal);
        }
        if (observation.time() == null || observation.time().isAfter(latest)) {
            throw new InvalidRequestException(which + "time is required and at most "
                    + AgentObservation.MAX_AHEAD.toMinutes() + " minutes ahead of the server's clock");
        }
        String body = observation.body();
        if (body == null || !body.startsWith("{")) {
            throw new InvalidRequestException(which + "body must be a JSON object");
        }
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new TooLargeException(which + "body is " + bytes + " bytes; the limit is " + MAX_BODY_BYTES);
        }
        String id = "agent:" + agent.id() + ":" + bootEpoch + ":" + observation.seq();
        return new EventDraft(id, observation.type(), observation.system(), observation.time(), caller.source(),
                body);
    }
}
