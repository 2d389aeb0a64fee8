package io.hanse.kernel.federation.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a link to a peer this instance dials: connects, and when the link ends connects again after
 * 1 s, doubling the wait up to the configured longest. Uses the JDK's WebSocket client, which needs
 * no wiring in OSGi.
 */
final class Dialer {

    private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration PING = Duration.ofSeconds(5);
    /**
     * A link that heard nothing for this long, not even the answer to a ping, is taken for dead: a
     * partition can leave a connection that neither end sees closed.
     */
    private static final Duration SILENCE = Duration.ofSeconds(20);

    private final Link.Host host;
    private final Peer peer;
    private final URI uri;
    private final Clock clock;
    private final Duration maxRetry;
    private final int maxFrameBytes;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT).build();
    private final Thread thread;
    private final Object signal = new Object();
    private volatile boolean running = true;
    private volatile Listener current;
    /** What failed in the dialing thread that was logged last; only that thread uses it. */
    private String loggedFailure;

    Dialer(Link.Host host, Peer peer, URI uri, Clock clock, Duration maxRetry, int maxFrameBytes) {
        this.host = host;
        this.peer = peer;
        // A scheme is the same in any case (RFC 3986), and invitations and peers take it so.
        this.uri = URI.create(uri.toString().replaceFirst("(?i)^http", "ws"));
        this.clock = clock;
        this.maxRetry = maxRetry;
        this.maxFrameBytes = maxFrameBytes;
        this.thread = new Thread(this::run, "hanse-federation-dial-" + peer.name());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Stops dialing and ends the link it keeps. Aborting a connection does not tell its listener, so
     * the link is ended here: else it stayed the peer's link, and a dialer started next saw a link and
     * never dialed.
     */
    void stop() {
        running = false;
        thread.interrupt();
        Listener listening = current;
        if (listening != null) {
            listening.abort(stopped());
        }
    }

    /** The link ended: dial again. */
    void lost() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void run() {
        Duration wait = Duration.ofSeconds(1);
        while (running) {
            try {
                if (keepLinked()) {
                    wait = Duration.ofSeconds(1);
                } else {
                    sleep(wait);
                    wait = wait.multipliedBy(2).compareTo(maxRetry) > 0 ? maxRetry : wait.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Connects if the peer has no link; linked, waits until the link ends or a ping is due, and
     * pings. Returns false if connecting failed, or anything else here: a failure in this thread, even
     * an {@link Error}, is logged (unless it is the one logged last), becomes the peer's last problem
     * and is waited out as a failed connect is, instead of ending the thread and with it the dialing
     * until a restart.
     */
    private boolean keepLinked() throws InterruptedException {
        try {
            if (peer.link() == null && !connect()) {
                return false;
            }
            synchronized (signal) {
                signal.wait(PING.toMillis());
            }
            Listener listening = current;
            if (listening != null && peer.link() == listening.link) {
                listening.check();
            }
            return true;
        } catch (RuntimeException | Error e) {
            String failure = e.toString();
            if (!failure.equals(loggedFailure)) {
                LOG.warn("Dialing {} failed here; dialing again", peer.name(), e);
                loggedFailure = failure;
            }
            peer.problem("dialing failed here (" + failure + "); see this instance's log");
            return false;
        }
    }

    /** Connects and waits for the handshake; returns whether the link opened. */
    private boolean connect() throws InterruptedException {
        Listener listener = new Listener();
        current = listener;
        try {
            client.newWebSocketBuilder().connectTimeout(CONNECT).buildAsync(uri, listener)
                    .get(CONNECT.toSeconds() + 5, TimeUnit.SECONDS);
            // The peer speaks first; the handshake is over within its time or not at all.
            long deadline = System.nanoTime() + Link.HANDSHAKE.toNanos();
            while (peer.link() != listener.link && !listener.ended && System.nanoTime() < deadline) {
                synchronized (signal) {
                    signal.wait(50);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            String why = "cannot reach " + uri + ": " + Failures.described(e.getCause() == null ? e : e.getCause());
            peer.problem(why);
            LOG.debug("Dialing {}: {}", peer.name(), why);
            return false;
        } catch (InterruptedException e) {
            // Stopped while connecting, perhaps before stop() saw this listener: the connection may still open.
            listener.abort(stopped());
            throw e;
        }
        if (peer.link() != listener.link) {
            listener.link.handshakeDue();
            return false;
        }
        return true;
    }

    private String stopped() {
        return "this instance stopped dialing " + peer.name();
    }

    private static void sleep(Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis());
    }

    /** One connection: frames to its link, and its link's frames out. */
    private final class Listener implements WebSocket.Listener, Link.Transport {

        private final Link link = Link.dialed(host, this, clock, peer);
        /** What came so far of a frame sent in parts, as text or as UTF-8. */
        private final StringBuilder partialText = new StringBuilder();
        private final ByteArrayOutputStream partialBytes = new ByteArrayOutputStream();
        private volatile WebSocket webSocket;
        private volatile boolean ended;
        /** When a frame, a ping or a pong last came, by {@link System#nanoTime()}. */
        private volatile long heard = System.nanoTime();

        /** Pings the peer, or gives the link up if it has been silent too long. */
        void check() {
            WebSocket to = webSocket;
            if (System.nanoTime() - heard > SILENCE.toNanos()) {
                abort("nothing heard from " + peer.name() + " for " + SILENCE.toSeconds() + " s");
            } else if (to != null) {
                to.sendPing(ByteBuffer.allocate(0));
            }
        }

        /**
         * Ends the link and drops the connection without a word to the peer, which the JDK's client
         * then does not report here. A connection that opens after this is dropped as it opens.
         */
        void abort(String why) {
            end(why);
            WebSocket to = webSocket;
            if (to != null) {
                to.abort();
            }
        }

        @Override
        public CompletionStage<?> onPing(WebSocket from, ByteBuffer message) {
            heard = System.nanoTime();
            from.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket from, ByteBuffer message) {
            heard = System.nanoTime();
            from.request(1);
            return null;
        }

        @Override
        public void onOpen(WebSocket opened) {
            webSocket = opened;
            // Ended and opened at once, either this or abort() sees the other, as both fields are volatile.
            if (ended) {
                opened.abort();
            } else {
                opened.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket from, CharSequence data, boolean last) {
            heard = System.nanoTime();
            partialText.append(data);
            if (partialText.length() > maxFrameBytes) {
                link.close("a frame larger than " + maxFrameBytes + " bytes");
                return null;
            }
            if (last) {
                String frame = partialText.toString();
                partialText.setLength(0);
                link.received(frame);
            }
            from.request(1);
            return null;
        }

        /**
         * Frames come as UTF-8 in binary messages, since decoding it here is several times faster
         * than the JDK's client decodes text messages; those are taken too.
         */
        @Override
        public CompletionStage<?> onBinary(WebSocket from, ByteBuffer data, boolean last) {
            heard = System.nanoTime();
            if (partialBytes.size() + data.remaining() > maxFrameBytes) {
                link.close("a frame larger than " + maxFrameBytes + " bytes");
                return null;
            }
            byte[] part = new byte[data.remaining()];
            data.get(part);
            partialBytes.writeBytes(part);
            if (last) {
                String frame = partialBytes.toString(StandardCharsets.UTF_8);
                partialBytes.reset();
                link.received(frame);
            }
            from.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket from, int statusCode, String reason) {
            end("closed by " + peer.name() + ": " + statusCode + (reason.isEmpty() ? "" : " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket from, Throwable error) {
            end("connection failed: " + Failures.described(error));
        }

        private void end(String why) {
            if (!ended) {
                ended = true;
                link.ended(why);
                lost();
            }
        }

        @Override
        public void send(String frame) throws IOException {
            WebSocket to = webSocket;
            if (to == null) {
                throw new IOException("not connected");
            }
            try {
                to.sendBinary(ByteBuffer.wrap(frame.getBytes(StandardCharsets.UTF_8)), true).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sending", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("sending failed: " + Failures.described(e.getCause() == null ? e : e.getCause()),
                        e);
            }
        }

        @Override
        public void close(String reason) {
            WebSocket to = webSocket;
            if (to != null && !to.isOutputClosed()) {
                String said = reason.length() > 100 ? reason.substring(0, 100) : reason;
                CompletableFuture<WebSocket> closing = to.sendClose(WebSocket.NORMAL_CLOSURE, said);
                closing.orTimeout(5, TimeUnit.SECONDS).whenComplete((done, error) -> to.abort());
            }
        }

        @Override
        public String address() {
            return uri.getAuthority();
        }
    }
}
