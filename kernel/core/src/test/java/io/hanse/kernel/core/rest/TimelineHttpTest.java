package io.hanse.kernel.core.rest;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.TIMELINE_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.TooManyRequestsException;
import io.hanse.api.instance.Instance;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Permission;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.core.internal.system.SystemManager;
import io.hanse.kernel.core.internal.timeline.TimelineConfig;
import io.hanse.kernel.core.internal.timeline.TimelineManager;
import io.hanse.kernel.store.internal.JdbcEventStore;
import io.hanse.kernel.store.internal.JdbcSystemStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.TestCaller;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ContextResolver;
import javax.ws.rs.ext.ExceptionMapper;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The timeline's resource over real HTTP, in Jetty, the servlet container Pax Web runs. */
class TimelineHttpTest {

    private static final TestCaller ADMIN = TestCaller.everywhere("admin");
    private static final Source AGENT = new Source(Source.Kind.AGENT, "agent-7");
    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final Duration STALLED = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The timeline's shipped configuration. */
    private static final TimelineConfig CONFIG = new TimelineConfig() {
        @Override
        public Class<? extends Annotation> annotationType() {
            return TimelineConfig.class;
        }

        @Override
        public int maxBodyBytes() {
            return 65_536;
        }

        @Override
        public String retention() {
            return "";
        }
    };

    /** Writes times as ISO-8601, as the REST application does. */
    private static final class Json implements ContextResolver<ObjectMapper> {
        private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

        @Override
        public ObjectMapper getContext(Class<?> type) {
            return mapper;
        }
    }

    /** Answers 429, as the REST application's mapper does. */
    private static final class TooMany implements ExceptionMapper<TooManyRequestsException> {
        @Override
        public Response toResponse(TooManyRequestsException exception) {
            return Response.status(429).build();
        }
    }

    private final KernelDatabase database = KernelDatabase.h2();
    private final SystemManager systems = new SystemManager(new JdbcSystemStore(null, database.dataSource()));
    private final TimelineManager timeline = new TimelineManager(new JdbcEventStore(null, database.database(),
            database.dataSource()), systems, () -> new Instance("id", "here", "0.1.0"), CONFIG);
    private final TimelineResource resource = new TimelineResource(timeline, systems,
            () -> List.of(new Permission("monitoring:read", "Read checks", Permission.Level.READ)), HEARTBEAT, STALLED);
    /** Who makes the requests. */
    private volatile Caller caller = ADMIN;
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        systems.create(SystemDraft.builder("stuck").build(), ADMIN);
        systems.create(SystemDraft.builder("web").build(), ADMIN);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        // Longer than the test: the stream itself must give up on a client that stopped reading.
        connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(5));
        connector.setAcceptedSendBufferSize(16_384);
        server.addConnector(connector);
        ServletHolder holder = new ServletHolder(new ServletContainer(new ResourceConfig()
                .register(resource)
                .register(new Json())
                .register(new TooMany())
                .register(new AbstractBinder() {
                    @Override
                    protected void configure() {
                        bindFactory((Supplier<Caller>) () -> caller).to(Caller.class);
                    }
                })));
        holder.setAsyncSupported(true);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(holder, "/api/v1/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        resource.deactivate();
        database.close();
    }

    @Test
    void aClientThatStopsReadingHoldsUpNeitherAppendsNorOtherStreamsAndItsStreamIsClosed() throws Exception {
        try (Socket stalled = stalledStream()) {
            InputStream stalledIn = stalled.getInputStream();
            BlockingQueue<String> lines = follow("web");

            stall();
            Thread.sleep(STALLED.toMillis());
            lines.clear();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            int heartbeats = 0;
            for (String next; (next = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
                heartbeats += next.startsWith(":") ? 1 : 0;
            }
            assertTrue(heartbeats >= 4, "the other stream's heartbeats go on: " + heartbeats + " in 2 s");
            timeline.append(new EventDraft("after", "deploy.finished", "web", null, AGENT, null));
            String line;
            do {
                line = lines.poll(5, TimeUnit.SECONDS);
            } while (line != null && !line.equals("id: after"));
            assertEquals("id: after", line, "the other stream still gets its events");

            // The stalled stream was closed: once its client reads again, what was being written ends it.
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> stalledIn.transferTo(OutputStream.nullOutputStream()), "the stalled stream ends");
        }
    }

    @Test
    void aClientAppendsNoEventOfANamespaceKeptForTheKernelsOrAPluginsRecordsAndABatchWithOneAppendsNone() {
        TimelineResource.EventInput forged = new TimelineResource.EventInput("forged", "monitoring.state-changed",
                "web", null, null);
        TimelineResource.EventInput fine = new TimelineResource.EventInput("fine", "deploy.finished", "web", null,
                null);

        assertThrows(InvalidRequestException.class, () -> resource.appendEvent(forged, ADMIN));
        assertThrows(InvalidRequestException.class, () -> resource.appendEvents(List.of(fine, forged), ADMIN));
        assertThrows(InvalidRequestException.class, () -> resource.appendEvent(
                new TimelineResource.EventInput(null, "status.changed", "web", null, null), ADMIN));

        assertEquals(List.of(), timeline.query(new EventQuery("web", false, Set.of(), null, null, 10, null, null))
                .events().stream().map(Event::id).filter(id -> id.equals("fine") || id.equals("forged")).toList());
        assertEquals(201, resource.appendEvent(fine, ADMIN).getStatus());
    }

    @Test
    void aReaderBoundWithoutMembersIsNotToldOfThemInTheKernelsRecords() throws Exception {
        systems.create(SystemDraft.builder("db-1").build(), ADMIN);
        systems.create(SystemDraft.builder("secret-db").build(), ADMIN);
        systems.create(SystemDraft.builder("shop").members(List.of("db-1", "secret-db")).build(), ADMIN);
        // Bound on shop without its members, and on db-1.
        caller = TestCaller.on("alice", Set.of("shop", "db-1"), SYSTEMS_READ, TIMELINE_READ);
        BlockingQueue<String> lines = follow("shop");

        timeline.append(new EventDraft("changed", "system.updated", "shop", null, Source.KERNEL,
                "{\"name\":\"shop\",\"kind\":\"component\",\"addedMembers\":[\"db-1\",\"secret-db\"],"
                        + "\"removedMembers\":[\"secret-old\"]}"));

        String seen = "{\"name\":\"shop\",\"kind\":\"component\",\"addedMembers\":[\"db-1\"]}";
        String line;
        do {
            line = lines.poll(5, TimeUnit.SECONDS);
        } while (line != null && !line.startsWith("data: "));
        assertEquals(seen, body(line.substring("data: ".length())), "streamed");
        String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/timeline/events?system=shop&members=false")).build(), BodyHandlers.ofString()).body();
        assertEquals(seen, body(JSON.readTree(page).get("events").get(0).toString()), "listed");
    }

    @Test
    void aStalledStreamCountsAsOpenUntilItsWriteReturns() throws Exception {
        try (Socket stalled = stalledStream()) {
            for (int i = 1; i < TimelineResource.MAX_STREAMS_PER_CALLER; i++) {
                follow("web");
            }
            assertEquals(429, open("web"), "the caller's streams are all open");

            stall();
            // Long past the stall being found: the stream's thread and connection are still held.
            long deadline = System.nanoTime() + 3 * STALLED.toNanos() + 2 * HEARTBEAT.toNanos();
            while (System.nanoTime() < deadline) {
                assertEquals(429, open("web"), "the stalled stream still counts");
                Thread.sleep(HEARTBEAT.toMillis());
            }

            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> stalled.getInputStream().transferTo(OutputStream.nullOutputStream()), "the stream ends");
            long opened = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status;
            do {
                status = open("web");
            } while (status != 200 && System.nanoTime() < opened);
            assertEquals(200, status, "once its write returned, the stalled stream no longer counts");
        }
    }

    @Test
    void headOfTheStreamAnswersAtOnceAndOpensNoStream() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/timeline/stream?system=web")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        for (int i = 0; i <= TimelineResource.MAX_STREAMS_PER_CALLER; i++) {
            HttpResponse<String> head = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> client.send(request, BodyHandlers.ofString()), "HEAD is answered without waiting for events");
            assertEquals(200, head.statusCode());
            assertEquals("text/event-stream", head.headers().firstValue("Content-Type").orElse(""));
        }
        assertEquals(200, open("web"), "HEAD took none of the caller's streams");

        for (int i = 0; i < TimelineResource.MAX_STREAMS_PER_CALLER; i++) {
            follow("web");
        }
        assertEquals(429, client.send(request, BodyHandlers.ofString()).statusCode(), "as GET would answer");
    }

    @Test
    void stoppingEndsTheOpenStreams() throws Exception {
        BlockingQueue<String> lines = follow("web");
        assertEquals(": ", lines.poll(5, TimeUnit.SECONDS), "open, its first heartbeat");

        resource.deactivate();

        String line;
        do {
            line = lines.poll(5, TimeUnit.SECONDS);
        } while (line != null && !line.equals("event: end"));
        assertEquals("event: end", line);
    }

    /** Opens a stream of the system stuck from a client that reads its headers and nothing more. */
    private Socket stalledStream() throws IOException {
        Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4_096);
        stalled.connect(new InetSocketAddress("127.0.0.1", port));
        stalled.setSoTimeout(15_000);
        stalled.getOutputStream().write(("GET /api/v1/timeline/stream?system=stuck HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertTrue(headers(stalled.getInputStream()).startsWith("HTTP/1.1 200 "));
        return stalled;
    }

    /** Appends far more about the system stuck than the socket buffers hold: the write to its stream blocks. */
    private void stall() {
        String body = "{\"pad\":\"" + "x".repeat(60_000) + "\"}";
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            drafts.add(new EventDraft(null, "deploy.finished", "stuck", null, AGENT, body));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> timeline.append(drafts));
    }

    /** Tries to open a stream of a system's events and returns the answer's status, closing what opened. */
    private int open(String system) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/timeline/stream?system=" + system)).build(),
                BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    /** Returns the body of an event in JSON. */
    private static String body(String event) throws IOException {
        return JSON.readTree(event).get("body").toString();
    }

    /** Reads a response's headers. */
    private static String headers(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            headers.append((char) next);
        }
        return headers.toString();
    }

    /** Opens a stream of a system's events and reads its lines, as a client that keeps up does. */
    private BlockingQueue<String> follow(String system) throws Exception {
        InputStream in = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/timeline/stream?system=" + system)).build(), BodyHandlers.ofInputStream()).body();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader text = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                text.lines().forEach(lines::add);
            } catch (IOException | RuntimeException e) {
                // The server stopped.
            }
        }, "stream-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
