package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.doNotModifyLogConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.inject.Inject;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * Boots the built Hanse distribution in Pax Exam and talks to it the way users do: over HTTP on
 * loopback and through shell commands.
 */
public abstract class HanseTestSupport {

    static final String EXAMPLE_FEATURE = "hanse-example";
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Why the container did not become healthy, once it did not (see {@link #awaitHealthy}). */
    private static volatile AssertionError neverHealthy;
    /** How long to wait for something the kernel does in the background, such as recording an event. */
    static final Duration EVENT_WAIT = Duration.ofSeconds(20);

    private static final String HTTP_PORT_PROPERTY = "hanse.it.http.port";
    static final String SSH_PORT_PROPERTY = "hanse.it.ssh.port";
    static final String VERSION_PROPERTY = "hanse.version";
    /** Where docs/permissions.md is, and whether to rewrite it rather than compare with it. */
    static final String DOCS_PROPERTY = "hanse.docs.permissions";
    static final String DOCS_WRITE_PROPERTY = "hanse.docs.write";
    /** Where the agent program's jar is. */
    static final String AGENT_PROPERTY = "hanse.agent";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("hanse_[A-Za-z0-9_-]{43}");

    /** The first admin, signed in; set by {@link #signIn()}. */
    static Subject admin;
    /** An API token of the first admin; set by {@link #signIn()}. */
    static String adminToken;

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    @Inject
    protected FeaturesService features;

    /** The options every test container gets: the distribution, free ports, and the given extras. */
    static Option[] distribution(Option... extra) {
        String httpPort = Integer.toString(freePort());
        String sshPort = Integer.toString(freePort());
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(System.getProperty("hanse.distribution")).toURI().toString())
                        .name("Hanse")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                doNotModifyLogConfiguration(),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", httpPort),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", sshPort),
                systemProperty(HTTP_PORT_PROPERTY).value(httpPort),
                systemProperty(SSH_PORT_PROPERTY).value(sshPort),
                systemProperty(VERSION_PROPERTY).value(System.getProperty(VERSION_PROPERTY)),
                systemProperty(DOCS_PROPERTY).value(System.getProperty(DOCS_PROPERTY)),
                systemProperty(DOCS_WRITE_PROPERTY).value(System.getProperty(DOCS_WRITE_PROPERTY, "false")),
                systemProperty(AGENT_PROPERTY).value(System.getProperty(AGENT_PROPERTY))));
        options.addAll(List.of(extra));
        return options.toArray(Option[]::new);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // HTTP

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + System.getProperty(HTTP_PORT_PROPERTY) + "/api/v1/" + path);
    }

    /** The address of an API path, such as {@code systems/web}, for requests the helpers here do not make. */
    static URI apiUri(String path) {
        return uri(path);
    }

    static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A GET with the given bearer token, or with no credentials at all when it is {@code null}. */
    static HttpResponse<String> getAs(String token, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        return sendAs(token, request);
    }

    static HttpResponse<String> post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<String> post(String path, Object json) {
        return post(path, "application/json", toJson(json));
    }

    static HttpResponse<String> put(String path, Object json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(toJson(json))));
    }

    /** A PUT without a body, as for adding a member. */
    static HttpResponse<String> put(String path) {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    static HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** Sends a request as the administrator the tests signed in as, or without credentials before that. */
    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return sendAs(adminToken, request);
    }

    static HttpResponse<String> sendAs(String token, HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + response.body(), e);
        }
    }

    /** Returns the value as JSON text; a String is taken to be JSON already. */
    static String toJson(Object value) {
        if (value instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }

    /** Returns a JSON object with these fields, in this order: {@code fields("slug", "db", "kind", "host")}. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** Returns the texts in a JSON array. */
    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** Encodes a query parameter value. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Returns a name no other test uses, such as {@code crud-3fa2c1}, to start slugs and label values with. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Asserts an answer's status, showing its body when it differs, and returns the body as JSON. */
    static JsonNode assertStatus(int status, HttpResponse<String> response) {
        assertEquals(response.request().method() + " " + response.uri() + ": " + response.body(), status,
                response.statusCode());
        return response.body().isEmpty() ? null : json(response);
    }

    /** Asserts an RFC 9457 problem response with this status whose detail contains the given text. */
    static void assertProblem(HttpResponse<String> response, int status, String detailPart) {
        assertEquals(response.body(), status, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = json(response);
        assertEquals(status, problem.path("status").asInt());
        String detail = problem.path("detail").asText();
        if (!detail.contains(detailPart)) {
            fail("Expected detail containing '" + detailPart + "' but was '" + detail + "'");
        }
    }

    /** An answer read off the socket: its status, its header fields (names in lower case) and its body. */
    record RawAnswer(int status, Map<String, String> headers, String body) { }

    /**
     * Sends {@code request} to the HTTP port byte for byte (each character one ISO-8859-1 byte), for
     * requests no HTTP client would send, and reads the answer until the server closes the connection.
     */
    static RawAnswer sendRaw(String request) {
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(System.getProperty(HTTP_PORT_PROPERTY)))) {
            socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            assertTrue("no complete header in: " + answer, end > 0);
            String[] lines = answer.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            return new RawAnswer(Integer.parseInt(lines[0].split(" ")[1]), headers, answer.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that a raw answer is an RFC 9457 problem with this status and title, in the shape the
     * REST API's own problems have, whose detail contains the given text, and that it is no HTML.
     */
    static void assertProblem(RawAnswer answer, int status, String title, String detailPart) {
        assertEquals(answer.toString(), status, answer.status());
        assertEquals(answer.toString(), "application/problem+json", answer.headers().get("content-type"));
        assertFalse(answer.body(), answer.body().contains("<"));
        JsonNode problem;
        try {
            problem = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + answer.body(), e);
        }
        assertEquals(answer.body(), List.of("type", "title", "status", "detail"),
                StreamSupport.stream(Spliterators.spliteratorUnknownSize(problem.fieldNames(), 0), false).toList());
        assertEquals("about:blank", problem.path("type").asText());
        assertEquals(title, problem.path("title").asText());
        assertEquals(status, problem.path("status").asInt());
        String detail = problem.path("detail").asText();
        if (!detail.contains(detailPart)) {
            fail("Expected detail containing '" + detailPart + "' but was '" + detail + "'");
        }
    }

    /** Waits until {@code path} answers with {@code status}, and returns that answer. */
    static HttpResponse<String> awaitStatus(String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(path);
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET /api/v1/" + path + " did not answer " + status + " within " + TIMEOUT
                + "; last answer: " + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    /**
     * Waits until the container is healthy, and returns the public health document (its status and
     * checks). Once it was not within {@link #TIMEOUT}, the later tests in the container fail at once
     * with the same error rather than each wait as long again.
     */
    static JsonNode awaitHealthy() throws InterruptedException {
        if (neverHealthy != null) {
            throw neverHealthy;
        }
        try {
            return json(awaitStatus("health", 200));
        } catch (AssertionError e) {
            neverHealthy = e;
            throw e;
        }
    }

    /**
     * Asks {@code probe} until it returns something other than {@code null}, at most {@link #EVENT_WAIT},
     * and returns that.
     */
    static <T> T await(String what, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (true) {
            T found = probe.call();
            if (found != null) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + EVENT_WAIT.toSeconds() + " s in vain for " + what);
            }
            Thread.sleep(100);
        }
    }

    // Server-sent events

    /** Opens a stream of server-sent events, such as {@code timeline/stream?system=web}; close it when done. */
    static EventStream openStream(String path) {
        return new EventStream(adminToken, path);
    }

    /** Appends events to {@code system} until one arrives on the stream, which is then surely subscribed. */
    static void awaitSubscribed(EventStream stream, String system, String type, String idPrefix,
            List<ServerSentEvent> seen) throws InterruptedException {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        for (int i = 0; ; i++) {
            assertStatus(201, post("timeline/events", fields("id", idPrefix + i, "type", type, "system", system)));
            try {
                stream.await(event -> event.id() != null && event.id().startsWith(idPrefix), Duration.ofMillis(500),
                        seen);
                return;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline || stream.failed()) {
                    throw notYet;
                }
            }
        }
    }

    /** Opens a stream of server-sent events with the given bearer token. */
    static EventStream openStreamAs(String token, String path) {
        return new EventStream(token, path);
    }

    /** One server-sent event: its name, its id and its data. */
    record ServerSentEvent(String event, String id, String data) {

        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("Event data is not JSON: " + data, e);
            }
        }
    }

    /**
     * A stream of server-sent events. The HTTP client hands each line to a parser that queues whole
     * events, which the test takes with a bounded wait. Lines are pushed rather than read from
     * {@code BodyHandlers.ofLines()}: a thread blocked reading that stream cannot be woken to close
     * it, whereas cancelling a subscription ends the stream and its connection at once.
     */
    static final class EventStream implements AutoCloseable {

        private final String path;
        private final BlockingQueue<ServerSentEvent> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Void>> response;
        private volatile Flow.Subscription subscription;
        private volatile boolean closed;
        private volatile Throwable failure;
        /** Whether the body has ended, so that no more events will come. */
        private volatile boolean ended;
        private String event;
        private String id;
        private StringBuilder data;
        /** The start of the body as it came, to show when the stream is refused. */
        private final StringBuffer start = new StringBuffer();

        private EventStream(String token, String path) {
            this.path = path;
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            response = HTTP.sendAsync(request.GET().build(),
                    HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                        @Override
                        public void onSubscribe(Flow.Subscription lines) {
                            subscription = lines;
                            if (closed) {
                                lines.cancel();
                            } else {
                                lines.request(Long.MAX_VALUE);
                            }
                        }

                        @Override
                        public void onNext(String line) {
                            parse(line);
                        }

                        @Override
                        public void onError(Throwable error) {
                            if (!closed) {
                                failure = error;
                            }
                            ended = true;
                        }

                        @Override
                        public void onComplete() {
                            ended = true;
                        }
                    }));
            response.thenAccept(answer -> {
                if (answer.statusCode() != 200) {
                    failure = new AssertionError("GET /api/v1/" + path + " answered " + answer.statusCode());
                }
            });
        }

        /** Reads one line; an empty line ends an event. Called by one client thread at a time. */
        private void parse(String line) {
            if (start.length() < 2_000) {
                start.append(line).append('\n');
            }
            if (line.isEmpty()) {
                if (data != null) {
                    received.add(new ServerSentEvent(event == null ? "message" : event, id, data.toString()));
                }
                event = null;
                id = null;
                data = null;
                return;
            }
            if (line.startsWith(":")) {
                return; // a comment, such as a heartbeat
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            value = value.startsWith(" ") ? value.substring(1) : value;
            switch (field) {
                case "event" -> event = value;
                case "id" -> id = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { }
            }
        }

        /**
         * Takes events until one matches, at most for {@code wait}, and returns it; every event taken is
         * added to {@code seen}.
         *
         * @throws AssertionError if none matches in time, listing what arrived
         */
        ServerSentEvent await(Predicate<ServerSentEvent> wanted, Duration wait, List<ServerSentEvent> seen)
                throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                ServerSentEvent next = null;
                while (next == null && !(ended && received.isEmpty()) && System.nanoTime() < deadline) {
                    next = received.poll(Math.min(100_000_000, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                if (next == null) {
                    next = received.poll();
                }
                if (next == null) {
                    HttpResponse<Void> answer = response.isCompletedExceptionally() ? null : response.getNow(null);
                    throw new AssertionError("No matching event on " + path + " within " + wait.toMillis() + " ms;"
                            + " received " + seen + "; " + (answer == null ? "no answer" : "answered "
                            + answer.statusCode()) + (ended ? "; the stream ended; its body began: " + start : "")
                            + (failure == null ? "" : "; the stream failed: " + failure));
                }
                seen.add(next);
                if (wanted.test(next)) {
                    return next;
                }
            }
        }

        /** Returns whether the stream was refused or broke, or the server ended it: no more events will come. */
        boolean failed() {
            return failure != null || ended;
        }

        /** Stops the stream and closes its connection. */
        @Override
        public void close() {
            closed = true;
            Flow.Subscription lines = subscription;
            if (lines != null) {
                lines.cancel();
            }
            response.cancel(true);
        }
    }

    // Signing in

    /**
     * Signs in as the first admin with the one-time password the instance wrote at its first start,
     * and makes an API token that every request then carries, unless it says otherwise.
     */
    @Before
    public void signIn() throws Exception {
        if (adminToken != null) {
            return;
        }
        awaitHealthy();
        String password = Files.readString(Path.of(System.getProperty("karaf.data"), "hanse-admin-password")).strip();
        admin = login("admin", password);
        adminToken = token(shellAs(admin, "security:token-create " + unique("itest")));
    }

    /** Returns the token that {@code security:token-create} printed. */
    static String token(String printed) {
        Matcher token = TOKEN.matcher(printed);
        assertTrue("no token in: " + printed, token.find());
        return token.group();
    }

    /** Logs in through the shell's JAAS realm, as SSH does, and returns the subject it makes. */
    static Subject login(String user, String password) throws LoginException {
        LoginContext login = new LoginContext("karaf", callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback secret) {
                    secret.setPassword(password.toCharArray());
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        });
        login.login();
        return login.getSubject();
    }

    // Shell

    /** Runs a shell command as the first admin and returns what it printed. */
    String shell(String command) throws Exception {
        return shellAs(admin, command);
    }

    /** Runs a shell command as the user a subject logged in as, and returns what it printed. */
    String shellAs(Subject subject, String command) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
            try {
                Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
            } catch (PrivilegedActionException e) {
                throw e.getException();
            } finally {
                session.close();
            }
            out.flush();
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** Runs a shell command that must fail, and returns what it failed with. */
    Exception shellFailure(String command) throws Exception {
        return shellFailureAs(admin, command);
    }

    /** Runs a shell command that must fail as the user a subject logged in as, and returns what it failed with. */
    Exception shellFailureAs(Subject subject, String command) throws Exception {
        String output;
        try {
            output = shellAs(subject, command);
        } catch (Exception expected) {
            return expected;
        }
        throw new AssertionError("'" + command + "' did not fail; it printed: " + output);
    }

    /** The classes and messages of a failure and its causes, a line each. */
    static String messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return String.join("\n", messages);
    }

    // Features and bundles

    void installExample() throws Exception {
        features.installFeature(EXAMPLE_FEATURE, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        awaitStatus("example/notes", 200);
    }

    void uninstallExample() throws Exception {
        features.uninstallFeature(EXAMPLE_FEATURE, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        awaitStatus("example/notes", 404);
    }

    /** Waits until the container is healthy, and returns what the signed-in admin sees of its health. */
    static JsonNode awaitHealthDetails() throws InterruptedException {
        awaitHealthy();
        return assertStatus(200, get("health/details"));
    }

    /**
     * Stops every kernel bundle, starts them again, and waits until the instance is healthy, serves
     * every endpoint it served before and accepts signed requests: a restarted kernel refuses those
     * signed within the second it started (a replay's nonce may have been taken by the last start),
     * so this waits that second out, as an agent told to sign again would. Returns what the signed-in
     * admin sees of its health then.
     */
    JsonNode restartKernel() throws Exception {
        Set<String> served = servedPaths();
        List<Bundle> kernel = Stream.of(bundleContext.getBundles())
                .filter(bundle -> bundle.getSymbolicName().startsWith("io.hanse.kernel."))
                // A fragment (io.hanse.kernel.jetty) has no life cycle of its own.
                .filter(bundle -> bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .sorted(Comparator.comparingLong(Bundle::getBundleId))
                .toList();
        assertEquals("kernel bundles", 7, kernel.size());
        for (int i = kernel.size() - 1; i >= 0; i--) {
            kernel.get(i).stop();
        }
        for (Bundle bundle : kernel) {
            bundle.start();
        }
        awaitHealthy();
        await("every endpoint served again", () -> {
            try {
                return servedPaths().containsAll(served) ? true : null;
            } catch (UncheckedIOException e) {
                return null; // the REST server itself is not back yet
            }
        });
        // Every endpoint, the agents' too, is served only once security has started, which was
        // therefore before now.
        Thread.sleep(1_000 - System.currentTimeMillis() % 1_000 + 1);
        return assertStatus(200, get("health/details"));
    }

    /** The paths the OpenAPI document lists now. */
    private static Set<String> servedPaths() {
        HttpResponse<String> document = get("openapi.json");
        Set<String> paths = new HashSet<>();
        if (document.statusCode() == 200) {
            json(document).path("paths").fieldNames().forEachRemaining(paths::add);
        }
        return paths;
    }
}
