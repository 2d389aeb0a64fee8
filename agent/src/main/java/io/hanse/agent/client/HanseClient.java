package io.hanse.agent.client;

import io.hanse.agent.identity.RequestSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends requests to the instance's REST root ({@code <server>/api/v1}) over HTTP/1.1: every one
 * signed by the agent's key except enrollment, no redirects followed, and no more than
 * {@link #MAX_RESPONSE_BYTES} of any answer read. Signed requests are held back together while the
 * server refuses the agent or asks it to wait (see {@link Hold}).
 */
public final class HanseClient {

    /** Answers larger than this are not read; the request counts as failed. */
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    /** How often at most a refused agent asks whether it is let in again. */
    public static final Duration REFUSED_PAUSE = Duration.ofMinutes(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_RETRY_AFTER_SECONDS = 300;
    private static final long BODY_GRACE_MILLIS = 5000;

    private final URI root;
    private final RequestSigner signer;
    private final String userAgent;
    private final HttpClient http;
    private final Hold hold;
    private final Runnable refusalChanged;

    /**
     * Creates a client for the REST root {@code root}; {@code signer} is {@code null} for a client
     * that only enrolls.
     */
    public HanseClient(URI root, RequestSigner signer, String version) {
        this(root, signer, version, REFUSED_PAUSE);
    }

    /**
     * Creates a client whose signed requests, once the server refused the agent with {@code 401}, go
     * one at most every {@code refusedPause} until one is let in.
     */
    public HanseClient(URI root, RequestSigner signer, String version, Duration refusedPause) {
        this(root, signer, version, refusedPause, () -> { });
    }

    /**
     * Creates a client as {@link #HanseClient(URI, RequestSigner, String, Duration)} does that calls
     * {@code refusalChanged} whenever its {@link #refusal} changes, on the thread whose request was answered.
     */
    public HanseClient(URI root, RequestSigner signer, String version, Duration refusedPause,
            Runnable refusalChanged) {
        this.hold = new Hold(refusedPause);
        this.refusalChanged = refusalChanged;
        this.root = root;
        this.signer = signer;
        this.userAgent = "hanse-agent/" + version;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Returns since when and why the server refuses the agent ({@code 401}), if it does. */
    public Optional<Refusal> refusal() {
        return hold.refusal();
    }

    /** Sends the unsigned enrollment request, {@code POST agents/enroll}. */
    public Reply enroll(byte[] body) throws InterruptedException {
        return send("POST", "agents/enroll", body, REQUEST_TIMEOUT, false);
    }

    /** Sends a signed {@code POST} of a JSON body to {@code path}, relative to the REST root. */
    public Reply post(String path, byte[] body) throws InterruptedException {
        return send("POST", path, body, REQUEST_TIMEOUT, true);
    }

    /** Sends a signed {@code GET} of {@code path} (with its query), waiting up to {@code timeout} for the answer. */
    public Reply get(String path, Duration timeout) throws InterruptedException {
        return send("GET", path, null, timeout, true);
    }

    private Reply send(String method, String path, byte[] body, Duration timeout, boolean signed)
            throws InterruptedException {
        URI uri = URI.create(root + "/" + path);
        byte[] bytes = body == null ? new byte[0] : body;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (signed) {
            // Signed after the wait: a request signed before it could be too old once sent.
            hold.enter();
            request.header("Authorization", signer.authorization(method, uri, bytes));
        }
        // The request's own timeout ends with the answer's headers; waiting on the future bounds the body too.
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request.build(),
                info -> new LimitedBody(MAX_RESPONSE_BYTES));
        try {
            HttpResponse<byte[]> response = exchange.get(timeout.toMillis() + BODY_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            Reply reply = new Reply(response.statusCode(), response.body(), mediaType(response), retryAfter(response),
                    null);
            // Told outside the hold's lock, so that whoever listens may ask the client again.
            if (signed && hold.answered(reply)) {
                refusalChanged.run();
            }
            return reply;
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return Reply.failed(method + " " + path + ": no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof HttpTimeoutException ? "no answer within " + timeout.toSeconds() + " s"
                    : root + " cannot be reached: " + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return Reply.failed(method + " " + path + ": " + why);
        }
    }

    private static String mediaType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type")
                .map(value -> value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).orElse("");
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.strip());
                return Optional.of(Duration.ofSeconds(Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, seconds))));
            } catch (NumberFormatException e) {
                // An HTTP date instead of seconds: the usual backoff applies.
                return Optional.empty();
            }
        });
    }
}
