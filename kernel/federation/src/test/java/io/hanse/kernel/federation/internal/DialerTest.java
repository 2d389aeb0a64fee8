package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.websocket.api.WebSocketAdapter;
import org.eclipse.jetty.websocket.servlet.WebSocketServlet;
import org.eclipse.jetty.websocket.servlet.WebSocketServletFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dialer against a Jetty WebSocket server that takes connections and says nothing on them, so that
 * the dialer gives each up after the handshake's 10 s.
 */
class DialerTest {

    private final Server ber = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    private final AtomicInteger connections = new AtomicInteger();
    private final LinkTest.Host fra = new LinkTest.Host("fra", InstanceKey.generate("fra"),
            LinkTest.peer("ber", InstanceKey.generate("ber")));

    @BeforeEach
    void start() throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new Silent()), Federation.LINK_PATH);
        ber.setHandler(context);
        ber.start();
    }

    @AfterEach
    void stop() throws Exception {
        ber.stop();
    }

    /** A dialer from fra to ber at this URL scheme, started. */
    private Dialer dial(String scheme) {
        Dialer dialer = new Dialer(fra, fra.peer, URI.create(scheme + "://127.0.0.1:"
                + ((ServerConnector) ber.getConnectors()[0]).getLocalPort() + Federation.LINK_PATH),
                Clock.systemUTC(), Duration.ofSeconds(1), 1 << 20);
        dialer.start();
        return dialer;
    }

    @Test
    void whatFailsInTheDialingThreadIsThePeersProblemAndTheDialerDialsAgain() throws Exception {
        // Ending the link that got no handshake fails once, in the dialing thread.
        fra.failure = new LinkageError("a class gone with a bundle refresh");
        Dialer dialer = dial("http");
        try {
            // After the handshake's 10 s and the second's wait: on a slow machine more than the usual wait.
            LinkTest.await(() -> connections.get() == 2, "fra dialing ber again", Duration.ofSeconds(60));
            assertEquals("dialing failed here (java.lang.LinkageError: a class gone with a bundle refresh); see this"
                    + " instance's log", fra.peer.lastProblem());
        } finally {
            dialer.stop();
        }
    }

    @Test
    void aUrlWhoseSchemeIsWrittenInCapitalsIsDialed() throws Exception {
        Dialer dialer = dial("HTTP");
        try {
            LinkTest.await(() -> connections.get() == 1, "fra dialing ber");
        } finally {
            dialer.stop();
        }
    }

    @Test
    void aPeerThatRefusesTheConnectionIsAProblemThatSaysSo() throws Exception {
        int closed = closedPort();
        Dialer dialer = new Dialer(fra, fra.peer, URI.create("ws://127.0.0.1:" + closed + Federation.LINK_PATH),
                Clock.systemUTC(), Duration.ofSeconds(1), 1 << 20);
        dialer.start();
        try {
            LinkTest.await(() -> fra.peer.lastProblem() != null, "fra failing to reach ber");
            assertEquals("cannot reach ws://127.0.0.1:" + closed + Federation.LINK_PATH + ": connection refused",
                    fra.peer.lastProblem());
        } finally {
            dialer.stop();
        }
    }

    /** Returns a port on the loopback address that nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Takes every connection, counting it, and never sends a frame. */
    private final class Silent extends WebSocketServlet {
        private static final long serialVersionUID = 1L;

        @Override
        public void configure(WebSocketServletFactory factory) {
            factory.setCreator((request, response) -> {
                connections.incrementAndGet();
                return new WebSocketAdapter();
            });
        }
    }
}
