package io.hanse.kernel.core.rest;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.TIMELINE_APPEND;
import static io.hanse.api.security.KernelPermissions.TIMELINE_READ;
import static io.hanse.kernel.core.internal.Threads.daemon;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.TooManyRequestsException;
import io.hanse.api.UnavailableException;
import io.hanse.api.rest.Parameters;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Permission;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.security.Scope;
import io.hanse.api.security.SecurityService;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.Appended;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.EventPage;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.Subscriber;
import io.hanse.api.timeline.Subscription;
import io.hanse.api.timeline.Timeline;
import io.hanse.kernel.core.internal.timeline.KernelRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.ws.rs.Consumes;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.HEAD;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.sse.OutboundSseEvent;
import javax.ws.rs.sse.Sse;
import javax.ws.rs.sse.SseEventSink;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/v1/timeline}: append events, query them newest first, follow them live. */
@Component(service = RestResource.class)
@Path("timeline")
public final class TimelineResource implements RestResource {

    /**
     * Live streams open at once, a stream counting until its last write has returned; more are
     * refused with 503 rather than starving the server of threads.
     */
    static final int MAX_STREAMS = 100;
    /** Live streams one caller may have open at once, so that no one caller takes them all; more get 429. */
    static final int MAX_STREAMS_PER_CALLER = 10;
    /** Events a stream holds for a client that does not take them; one more ends the stream. */
    static final int MAX_UNSENT = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(TimelineResource.class);
    private static final Duration RETRY_STREAM = Duration.ofSeconds(30);
    /** Threads writing to streams: one per open stream at most, and a few for those just handing theirs back. */
    private static final int WRITERS = MAX_STREAMS + 4;

    private final Timeline timeline;
    private final SystemService systems;
    /** The permissions declared now, whose areas are plugins' event namespaces. */
    private final Supplier<List<Permission>> declared;
    private final Duration heartbeat;
    private final Duration stalled;
    private final AtomicInteger streams = new AtomicInteger();
    private final Map<Source, Integer> streamsByCaller = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            daemon("hanse-timeline-heartbeat"));
    private final ThreadPoolExecutor writers = new ThreadPoolExecutor(WRITERS, WRITERS, 1, TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(), daemon("hanse-timeline-stream"));
    /** The streams counted as open. */
    private final Set<StreamSubscriber> live = ConcurrentHashMap.newKeySet();

    @Activate
    public TimelineResource(@Reference Timeline timeline, @Reference SystemService systems,
            @Reference SecurityService security) {
        this(timeline, systems, security::permissions, Duration.ofSeconds(15), Duration.ofSeconds(30));
    }

    /**
     * A resource whose streams beat and give up on clients that stopped reading as given.
     *
     * @param heartbeat how often a stream with nothing to write gets a comment, and a stream's
     *     writing is checked
     * @param stalled how long one write to a client may take: a stream whose client takes nothing for
     *     longer is closed
     */
    TimelineResource(Timeline timeline, SystemService systems, Supplier<List<Permission>> declared,
            Duration heartbeat, Duration stalled) {
        this.timeline = timeline;
        this.systems = systems;
        this.declared = declared;
        this.heartbeat = heartbeat;
        this.stalled = stalled;
        writers.allowCoreThreadTimeOut(true);
    }

    /** Ends the open streams, waiting up to five seconds for them to be told, then stops their threads. */
    @Deactivate
    void deactivate() {
        live.forEach(stream -> stream.end("the server stops; connect again later"));
        writers.shutdown();
        try {
            writers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heartbeats.shutdownNow();
            writers.shutdownNow();
        }
    }

    /** An event as clients send it. */
    record EventInput(String id, String type, String system, Instant time, JsonNode body) {
    }

    /** An event as clients read it. */
    record EventDto(String id, String type, String system, UUID systemId, Instant time, Instant recorded,
            SourceDto source, String origin, @JsonRawValue String body) {

        static EventDto of(Event event) {
            return new EventDto(event.id(), event.type(), event.system(), event.systemId(), event.time(),
                    event.recorded(), new SourceDto(event.source().kind().name().toLowerCase(), event.source().name()),
                    event.origin(), event.body());
        }

        /** Returns an event as a caller who may read the systems of {@code readable} reads it. */
        static EventDto of(Event event, Scope readable) {
            return of(KernelRecords.seenBy(event, readable));
        }
    }

    record SourceDto(String kind, String name) {
    }

    /** One page of events and where the next one starts. */
    record EventPageDto(List<EventDto> events, String next) {
    }

    /** The outcome of one append in a batch. */
    record AppendedDto(String id, boolean created) {
    }

    /**
     * Lists events newest first, only about systems the caller may read the timeline of, naming only
     * the systems it may read as members.
     */
    @GET
    @Path("events")
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresPermission(TIMELINE_READ)
    public EventPageDto listEvents(@QueryParam("system") String system,
            @QueryParam("members") @DefaultValue("true") boolean members, @QueryParam("type") List<String> types,
            @QueryParam("from") String from, @QueryParam("until") String until,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("cursor") String cursor,
            @Context Caller caller) {
        EventPage page = timeline.query(query(system, members, types, from, until, limit, cursor, caller));
        Scope readable = caller.scope(SYSTEMS_READ);
        return new EventPageDto(page.events().stream().map(event -> EventDto.of(event, readable)).toList(),
                page.next().orElse(null));
    }

    @POST
    @Path("events")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresPermission(TIMELINE_APPEND)
    public Response appendEvent(EventInput input, @Context Caller caller) {
        EventDraft draft = draft(input, declared.get(), caller);
        Appended appended = timeline.append(draft);
        Event stored = appended.event();
        // The same append again gets the stored event back; another's event under that id is not shown. By the
        // system's id: it may have been renamed since, and the slug the event was stored with is the old one.
        if (!appended.created() && (!stored.source().equals(draft.source())
                || !systems.find(draft.system()).map(ManagedSystem::id).equals(Optional.of(stored.systemId())))) {
            throw new ConflictException("event id '" + stored.id() + "' is taken by another event; choose another id");
        }
        return Response.status(appended.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(EventDto.of(appended.event()))
                .build();
    }

    @POST
    @Path("events/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresPermission(TIMELINE_APPEND)
    public List<AppendedDto> appendEvents(List<EventInput> inputs, @Context Caller caller) {
        if (inputs == null) {
            throw new InvalidRequestException("a JSON array of events is required");
        }
        List<Permission> kept = declared.get();
        return timeline.append(inputs.stream().map(input -> draft(input, kept, caller)).toList()).stream()
                .map(appended -> new AppendedDto(appended.event().id(), appended.created()))
                .toList();
    }

    /**
     * Server-sent events: each event as it is stored, named by its type, with the event JSON as data,
     * as {@link #listEvents} names members.
     */
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RequiresPermission(TIMELINE_READ)
    public void streamEvents(@QueryParam("system") String system,
            @QueryParam("members") @DefaultValue("true") boolean members, @QueryParam("type") List<String> types,
            @Context SseEventSink sink, @Context Sse sse, @Context Caller caller) {
        EventQuery filter = query(system, members, types, null, null, 1, null, caller);
        boolean[] room = new boolean[1];
        streamsByCaller.compute(caller.source(), (same, open) -> {
            int now = open == null ? 0 : open;
            room[0] = now < MAX_STREAMS_PER_CALLER;
            return room[0] ? Integer.valueOf(now + 1) : open;
        });
        if (!room[0]) {
            throw tooManyOf(caller);
        }
        if (streams.incrementAndGet() > MAX_STREAMS) {
            closed(caller);
            throw tooMany();
        }
        StreamSubscriber subscriber = new StreamSubscriber(sink, sse, caller);
        live.add(subscriber);
        try {
            subscriber.start(timeline.subscribe(filter, subscriber));
        } catch (RuntimeException e) {
            live.remove(subscriber);
            closed(caller);
            throw e;
        }
    }

    /**
     * What {@link #streamEvents} would answer, without opening a stream: Jersey would otherwise run it
     * for HEAD, which subscribed, took one of the streams and held the request open with nothing to send.
     */
    @HEAD
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RequiresPermission(TIMELINE_READ)
    public Response streamHead(@QueryParam("system") String system,
            @QueryParam("members") @DefaultValue("true") boolean members, @QueryParam("type") List<String> types,
            @Context Caller caller) {
        query(system, members, types, null, null, 1, null, caller);
        if (streamsByCaller.getOrDefault(caller.source(), 0) >= MAX_STREAMS_PER_CALLER) {
            throw tooManyOf(caller);
        }
        if (streams.get() >= MAX_STREAMS) {
            throw tooMany();
        }
        return Response.ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }

    private static TooManyRequestsException tooManyOf(Caller caller) {
        return new TooManyRequestsException("already " + MAX_STREAMS_PER_CALLER + " live streams open for "
                + caller.source().name() + "; close one first", RETRY_STREAM);
    }

    private static UnavailableException tooMany() {
        return new UnavailableException("already " + MAX_STREAMS + " live streams open; try again later");
    }

    /** Counts a caller's stream as closed. */
    private void closed(Caller caller) {
        streams.decrementAndGet();
        streamsByCaller.computeIfPresent(caller.source(), (same, open) -> open == 1 ? null : open - 1);
    }

    /**
     * Writes events to one client and ends everything when the client goes away or takes nothing for
     * longer than {@link #stalled}, or when its credentials stop holding (a revoked or expired token, a
     * disabled user) or what they allow changed, since the stream's scope was fixed when it opened:
     * checked before each event and each heartbeat.
     * <p>
     * Everything done to the sink is done in order by one {@link #writers} thread at a time, since a
     * write blocks while the client does not read: the timeline's delivery only queues events, and the
     * heartbeat thread, which serves every stream, only queues a comment for a stream with nothing to
     * write, or ends one whose write has stalled.
     * <p>
     * Nothing here can make a stalled write fail: the sink's {@code close()} on another thread only
     * marks it closed while a write is under way (Jersey's {@code ChunkedOutput}), and the servlet API
     * offers no way to break a connection under a blocked write (Jetty's own, aborting its
     * {@code HttpChannel}, would tie this bundle to Jetty). The write returns once the client takes
     * what it was being written, or the connection's idle timeout ends it, which a client taking a
     * byte now and then defeats; only then is the sink closed. Until then the stream keeps its thread
     * and its connection, and it counts among {@link #MAX_STREAMS} and its caller's
     * {@link #MAX_STREAMS_PER_CALLER}, so that such clients cannot hold more threads and connections
     * than those.
     */
    private final class StreamSubscriber implements Subscriber {

        private final SseEventSink sink;
        private final Sse sse;
        private final Caller caller;
        /** The systems the caller may read, fixed as its scope is when the stream opens. */
        private final Scope readable;
        /** What is still to be done to the sink, in order: writes, and at the end its closing. */
        private final BlockingQueue<Runnable> unsent = new LinkedBlockingQueue<>(MAX_UNSENT);
        private final AtomicBoolean writing = new AtomicBoolean();
        /** Whether the stream takes events; once not, what remains to be done is closing the sink. */
        private final AtomicBoolean open = new AtomicBoolean(true);
        /** Whether the stream was told stalled once, not to log it every heartbeat after. */
        private final AtomicBoolean stalledOnce = new AtomicBoolean();
        /** Whether a writer thread is in a write, and since when ({@link System#nanoTime()}). */
        private volatile boolean inWrite;
        private volatile long writeBegan;
        private Subscription subscription;
        private ScheduledFuture<?> beats;

        StreamSubscriber(SseEventSink sink, Sse sse, Caller caller) {
            this.sink = sink;
            this.sse = sse;
            this.caller = caller;
            this.readable = caller.scope(SYSTEMS_READ);
        }

        synchronized void start(Subscription subscription) {
            if (!open.get()) {
                subscription.close();
                return;
            }
            this.subscription = subscription;
            beats = heartbeats.scheduleAtFixedRate(this::beat, heartbeat.toMillis(), heartbeat.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        /** Sends the event as JSON, written by the application's own JSON provider like every response. */
        @Override
        public void event(Event event) {
            write(sse.newEventBuilder().id(event.id()).name(event.type()).mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(EventDto.class, EventDto.of(event, readable)).build());
        }

        @Override
        public void ended(String reason) {
            end(reason);
        }

        /**
         * On the heartbeat thread: never waits for the client. Checks the writing until the sink is
         * closed, also when the stream was ended already and what remains is its end event.
         */
        private void beat() {
            if (inWrite) {
                if (System.nanoTime() - writeBegan > stalled.toNanos() && stalledOnce.compareAndSet(false, true)) {
                    LOG.info("A live stream of {} is closed: its client took nothing for {} s; it counts as open"
                            + " until the write under way returns", caller.source().name(), stalled.toSeconds());
                    abort();
                }
            } else if (unsent.isEmpty()) {
                write(sse.newEventBuilder().comment("").build());
            }
        }

        private void write(OutboundSseEvent event) {
            if (!open.get()) {
                return;
            }
            if (!unsent.offer(() -> send(event))) {
                end("the client fell more than " + MAX_UNSENT + " events behind; connect again");
                return;
            }
            schedule();
        }

        private void send(OutboundSseEvent event) {
            if (sink.isClosed()) {
                abort();
            } else if (!caller.valid()) {
                end("the credentials no longer hold, or what they allow changed; connect again");
            } else {
                sink.send(event).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        abort();
                    }
                });
            }
        }

        /** Ends the stream, telling the client why after what it was sent already. */
        private void end(String reason) {
            if (release()) {
                unsent.add(() -> sink.send(sse.newEventBuilder().name("end").data(reason).build()));
                close();
            }
        }

        /** Ends the stream without a word: its client is gone, or the write under way may never end. */
        private void abort() {
            if (release()) {
                close();
            }
        }

        /** Stops the subscription and drops what is unsent; returns whether it was open. */
        private boolean release() {
            if (!open.compareAndSet(true, false)) {
                return false;
            }
            synchronized (this) {
                if (subscription != null) {
                    subscription.close();
                }
            }
            unsent.clear();
            return true;
        }

        /** Closes the sink after what is queued, and only then counts the stream as closed. */
        private void close() {
            unsent.add(() -> {
                try {
                    sink.close();
                } finally {
                    closed();
                }
            });
            schedule();
        }

        /** The sink is closed, or will never be written to again: stops the heartbeats, counts the stream closed. */
        private synchronized void closed() {
            if (live.remove(this)) {
                if (beats != null) {
                    beats.cancel(false);
                }
                TimelineResource.this.closed(caller);
            }
        }

        private void schedule() {
            if (writing.compareAndSet(false, true)) {
                try {
                    writers.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    // The resource stopped; so did the servlet container's connections.
                    writing.set(false);
                    closed();
                }
            }
        }

        private void drain() {
            Runnable next;
            while ((next = unsent.poll()) != null) {
                writeBegan = System.nanoTime();
                inWrite = true;
                try {
                    next.run();
                } catch (RuntimeException e) {
                    // The sink refuses: the client is gone.
                    abort();
                } finally {
                    inWrite = false;
                }
            }
            writing.set(false);
            if (!unsent.isEmpty()) {
                schedule();
            }
        }
    }

    /** An event to append, which the caller must be allowed to append about its system. */
    private static EventDraft draft(EventInput input, List<Permission> declared, Caller caller) {
        if (input == null) {
            throw new InvalidRequestException("a JSON event is required");
        }
        boolean noBody = input.body == null || input.body.isNull();
        if (!noBody && !input.body.isObject()) {
            throw new InvalidRequestException("event body must be a JSON object");
        }
        if (input.id != null && input.id.indexOf(':') >= 0) {
            // Else a client could take an id first that Hanse gives an agent's, a plugin's or a peer's event.
            throw new InvalidRequestException("event id " + Messages.quote(input.id) + " holds ':', which is kept for"
                    + " the ids Hanse, its plugins and its peers give their events; use letters, digits and . _ -");
        }
        if (input.system != null) {
            caller.require(TIMELINE_APPEND, input.system);
        }
        EventDraft.checkClientType(input.type, declared);
        return new EventDraft(input.id, input.type, input.system, input.time, caller.source(),
                noBody ? null : input.body.toString());
    }

    /** A query bounded to the systems whose timeline the caller may read. */
    private static EventQuery query(String system, boolean members, List<String> types, String from, String until,
            int limit, String cursor, Caller caller) {
        return new EventQuery(system, members, types == null ? Set.of() : Set.copyOf(types),
                Parameters.instant("from", from), Parameters.instant("until", until), limit, cursor, null)
                .within(caller.scope(TIMELINE_READ));
    }
}
