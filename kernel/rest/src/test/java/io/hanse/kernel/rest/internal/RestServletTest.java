package io.hanse.kernel.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.UnavailableException;
import io.hanse.api.security.Public;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.servlet.ServletException;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST servlet in Jetty, the container Pax Web runs it in, as plugins come and go. */
class RestServletTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Path("alpha")
    public static class Alpha {
        @GET
        @Public
        public String get() {
            return "alpha";
        }
    }

    @Path("beta")
    public static class Beta {
        @GET
        @Public
        public String get() {
            return "beta";
        }
    }

    /** Jersey refuses this: two methods answer the same request. */
    @Path("alpha")
    public static class Clash {
        @GET
        @Public
        public String one() {
            return "one";
        }

        @GET

        @Public
        public String two() {
            return "two";
        }
    }

    /** Answers only once released, to hold a request in flight. */
    @Path("slow")
    public static class Slow {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @GET

        @Public
        public String get() throws InterruptedException {
            entered.countDown();
            release.await();
            return "slow";
        }
    }

    /** A long poll that refuses to wait, as one does when too many wait: before it suspends. */
    @Path("poll")
    public static class FullPoll {
        @GET
        @Public
        public void poll(@Suspended AsyncResponse response) {
            throw new UnavailableException("Too many polls wait already.", Duration.ofSeconds(42));
        }
    }

    /** Takes a JSON body. */
    @Path("notes")
    public static class Notes {
        @POST
        @Public
        @Consumes(MediaType.APPLICATION_JSON)
        public String add(Map<String, String> note) {
            return note.toString();
        }
    }

    /** A long poll answered from outside, as agents' desires are: it waits until {@link #answer} resumes it. */
    @Path("wait")
    public static class LongPoll {
        final CompletableFuture<AsyncResponse> waiting = new CompletableFuture<>();

        @GET
        @Public
        public void poll(@Suspended AsyncResponse response) {
            waiting.complete(response);
        }
    }

    /** Tells whose address the request is counted under. */
    @Path("address")
    public static class Address {
        @GET
        @Public
        public String get(@Context ContainerRequestContext request) {
            return (String) request.getProperty(AuthorizationFilter.ADDRESS);
        }
    }

    private Server server;
    private ServletContextHandler context;
    private RestServlet servlet;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        context = new ServletContextHandler();
        servlet = new RestServlet(application(), ClientAddress.trusting("127.0.0.1"));
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true); // as RestServer asks of Pax Web
        context.addServlet(holder, RestServer.PATTERN);
        context.addServlet(new ServletHolder(new ApiFallbackServlet()), "/api/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api/v1/");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private static org.glassfish.jersey.server.ResourceConfig application(Object... resources) {
        return RestApplication.create(List.of(resources), 1024 * 1024, TestAuthenticator.INSTANCE, () -> true);
    }

    private int status(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).build(), BodyHandlers.ofString()).statusCode();
    }

    @Test
    void whatIsUnderApiButNotServedByTheRestApiIsAProblemDocumentToo() throws Exception {
        HttpResponse<String> elsewhere = CLIENT.send(HttpRequest.newBuilder(base.resolve("/api/v2/systems")).build(),
                BodyHandlers.ofString());
        assertEquals(404, elsewhere.statusCode());
        assertEquals(Problem.MEDIA_TYPE, elsewhere.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"Hanse serves"
                + " its REST API under /api/v1; there is nothing else under /api.\"}", elsewhere.body());
        assertEquals(404, status("/api"));
        HttpResponse<String> own = CLIENT.send(HttpRequest.newBuilder(base.resolve("alpha")).build(),
                BodyHandlers.ofString());
        assertEquals(404, own.statusCode());
        assertFalse(own.body().contains("nothing else under /api"), "the REST API answers its own paths");

        // As while the REST bundle restarts: its servlet is gone for a moment.
        context.stop();
        context.getServletHandler().setServlets(new ServletHolder[0]);
        context.getServletHandler().setServletMappings(null);
        context.addServlet(new ServletHolder(new ApiFallbackServlet()), "/api/*");
        context.start();
        assertEquals(503, status("alpha"));
        assertEquals(503, status("/api/v1"));
    }

    @Test
    void aRequestReachingTheServletAfterItWasDestroyedGetsTheSameProblemAsWhenItIsGone() throws Exception {
        servlet.destroy();

        HttpResponse<String> gone = CLIENT.send(HttpRequest.newBuilder(base.resolve("alpha")).build(),
                BodyHandlers.ofString());
        assertEquals(503, gone.statusCode());
        assertEquals("10", gone.headers().firstValue("Retry-After").orElse(""));
        assertEquals(Problem.MEDIA_TYPE, gone.headers().firstValue("Content-Type").orElse(""));
        assertTrue(gone.body().contains(ApiFallbackServlet.STARTING_OR_STOPPING), gone.body());
    }

    @Test
    void addsAndRemovesEndpointsWhileServing() throws Exception {
        assertEquals(404, status("alpha"));

        servlet.update(application(new Alpha()));
        assertEquals(200, status("alpha"));

        servlet.update(application(new Alpha(), new Beta()));
        assertEquals(200, status("alpha"));
        assertEquals(200, status("beta"));

        servlet.update(application(new Beta()));
        assertEquals(404, status("alpha"));
        assertEquals(200, status("beta"));
    }

    @Test
    void anAsynchronousMethodThatThrowsBeforeItSuspendsAnswersWithTheProblem() throws Exception {
        servlet.update(application(new FullPoll()));

        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(base.resolve("poll")).build(),
                BodyHandlers.ofString());
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("42", response.headers().firstValue("Retry-After").orElse(""));
        assertTrue(response.body().contains("Too many polls wait already."), response.body());
    }

    @Test
    void aContentTypeThatIsNoMediaTypeIsAProblemDocumentWithABodyOrWithout() throws Exception {
        servlet.update(application(new Alpha(), new Notes()));
        for (String method : List.of("GET", "PUT")) {
            assertContentTypeProblem(HttpRequest.newBuilder(base.resolve("alpha"))
                    .header("Content-Type", "application/json; a=\"b")
                    .method(method, HttpRequest.BodyPublishers.noBody()), "is not a media type");
        }
        assertContentTypeProblem(HttpRequest.newBuilder(base.resolve("notes")).header("Content-Type", "/")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), "is not a media type");
        assertContentTypeProblem(HttpRequest.newBuilder(base.resolve("notes"))
                .header("Content-Type", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), "more than one Content-Type header");
    }

    private static void assertContentTypeProblem(HttpRequest.Builder request, String detail) throws Exception {
        HttpResponse<String> response = CLIENT.send(request.build(), BodyHandlers.ofString());
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(Problem.MEDIA_TYPE, response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains(detail), response.body());
    }

    @Test
    void aBodyThatBreaksOffWhileReadIs400() throws Exception {
        servlet.update(application(new Notes()));
        // The second chunk's size is no hexadecimal number: Jetty's stream fails while Jackson reads the body.
        String request = "POST " + base.getRawPath() + "notes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "a\r\n{\"text\":\"d\r\nzz\r\n";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            assertTrue(response.contains("The request body could not be read to its end"), response);
        }
    }

    @Test
    void refusedApplicationLeavesTheCurrentOneServing() throws Exception {
        servlet.update(application(new Beta()));

        assertThrows(ServletException.class, () -> servlet.update(application(new Beta(), new Clash())));

        assertEquals(200, status("beta"));
        assertEquals(404, status("alpha"));
    }

    @Test
    void containerRestartKeepsTheLatestEndpoints() throws Exception {
        servlet.update(application(new Alpha()));
        servlet.update(application(new Alpha(), new Beta()));

        context.stop();
        context.start();

        assertEquals(200, status("alpha"));
        assertEquals(200, status("beta"));
    }

    @Test
    void aRequestIsCountedUnderTheClientATrustedProxyNames() throws Exception {
        servlet.update(application(new Address()));
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("address"));

        assertEquals("203.0.113.9", CLIENT.send(request.header("X-Forwarded-For", "203.0.113.9").build(),
                BodyHandlers.ofString()).body());
        assertEquals("127.0.0.1", CLIENT.send(HttpRequest.newBuilder(base.resolve("address")).build(),
                BodyHandlers.ofString()).body());
    }

    @Test
    void updateBeforeTheFirstRequestIsCheckedAndUsed() throws Exception {
        context.stop(); // not yet initialised, as before Pax Web's first request
        RestServlet fresh = new RestServlet(application(), ClientAddress.DIRECT);
        context.getServletHandler().setServlets(new ServletHolder[0]);
        context.getServletHandler().setServletMappings(null);
        context.addServlet(new ServletHolder(fresh), RestServer.PATTERN);

        assertThrows(ServletException.class, () -> fresh.update(application(new Clash())));
        fresh.update(application(new Beta()));
        context.start();

        assertEquals(200, status("beta"));
    }

    @Test
    void aLongPollOpenWhenItsApplicationIsReplacedIsAnsweredOnIt() throws Exception {
        LongPoll poll = new LongPoll();
        servlet.update(application(poll));
        CompletableFuture<HttpResponse<String>> answer = CLIENT.sendAsync(
                HttpRequest.newBuilder(base.resolve("wait")).build(), BodyHandlers.ofString());
        AsyncResponse waiting = poll.waiting.get(10, TimeUnit.SECONDS);

        servlet.update(application(new Beta()));

        assertTrue(waiting.resume("answered"), "the old application is still there to answer it");
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("answered", response.body());
        assertEquals(404, status("wait"));
    }

    @Test
    void destroyingTheServletShutsDownAReplacedApplicationAtOnceThoughALongPollIsOpenOnIt() throws Exception {
        LongPoll poll = new LongPoll();
        servlet.update(application(poll));
        CLIENT.sendAsync(HttpRequest.newBuilder(base.resolve("wait")).build(), BodyHandlers.ofString());
        AsyncResponse waiting = poll.waiting.get(10, TimeUnit.SECONDS);
        servlet.update(application(new Beta()));

        servlet.destroy();

        assertThrows(RuntimeException.class, () -> waiting.resume("too late"), "its application is gone");
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("hanse-rest-retired")) {
                thread.join(5000);
                assertFalse(thread.isAlive(), "nothing is left waiting to shut it down");
            }
        }
    }

    @Test
    void requestInFlightFinishesOnTheApplicationItStartedOn() throws Exception {
        Slow slow = new Slow();
        servlet.update(application(slow));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<String> inFlight = executor.submit(() -> CLIENT.send(
                    HttpRequest.newBuilder(base.resolve("slow")).build(), BodyHandlers.ofString()).body());
            slow.entered.await();

            servlet.update(application(new Beta()));
            slow.release.countDown();

            assertEquals("slow", inFlight.get());
            assertEquals(404, status("slow"));
        } finally {
            executor.shutdownNow();
        }
    }
}
