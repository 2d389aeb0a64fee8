package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.instance.Instance;
import io.hanse.kernel.store.internal.JdbcAuditLog;
import io.hanse.kernel.store.internal.JdbcEventStore;
import io.hanse.kernel.store.internal.JdbcFederationStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ber's link servlet in Jetty, ber a federation over H2, and a bare WebSocket client that connects to
 * it.
 */
class LinkServletTest {

    private static final Clock CLOCK = Clock.systemUTC();

    private final KernelDatabase database = KernelDatabase.h2();
    private final JdbcFederationStore store = new JdbcFederationStore(null, database.database(),
            database.dataSource());
    private final Server server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    private Federation ber;

    @BeforeEach
    void start() throws Exception {
        ber = new Federation(store, new JdbcAuditLog(null, database.dataSource()),
                () -> new Instance("ber", "ber", "1.0"), new MemorySystems(), RestoredPeerTest.NO_ADMIN,
                new RestoredPeerTest.AllOk(), new MemoryTimeline(Set.of()),
                new JdbcEventStore(null, database.database(), database.dataSource()), "http://127.0.0.1:1",
                new RestoredPeerTest.Config(), CLOCK);
        ber.open();
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new LinkServlet(ber)), Federation.LINK_PATH);
        server.setHandler(context);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        ber.close();
        database.close();
    }

    @Test
    void aConnectionWhoseHandshakeIsNotOverWithin10SecondsIsClosed() throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        long start = System.nanoTime();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url("ws")), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket from, int statusCode, String reason) {
                closed.complete(reason);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        assertEquals("no handshake within 10 s", closed.get(30, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start >= Duration.ofSeconds(9).toNanos(), "not before it was due");
    }

    private String url(String scheme) {
        return scheme + "://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                + Federation.LINK_PATH;
    }
}
