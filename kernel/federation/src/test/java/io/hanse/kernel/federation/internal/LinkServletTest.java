package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hanse.api.instance.Instance;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.federation.internal.Link.Message;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.StoredPeer;
import io.hanse.kernel.store.internal.JdbcAuditLog;
import io.hanse.kernel.store.internal.JdbcEventStore;
import io.hanse.kernel.store.internal.JdbcFederationStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.TestCaller;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
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
 * ber's link servlet in Jetty, ber a federation over H2 that knows fra as a peer; fra is the test host
 * of {@link LinkTest}, dialing ber with a {@link Dialer}, or a bare WebSocket client.
 */
class LinkServletTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final UUID LINK = UUID.randomUUID();

    private final KernelDatabase database = KernelDatabase.h2();
    private final JdbcFederationStore store = new JdbcFederationStore(null, database.database(),
            database.dataSource());
    private final InstanceKey fraKey = InstanceKey.generate("fra");
    private final Server server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    private Federation ber;
    private Peer fraAtBer;
    private LinkTest.Host fra;

    @BeforeEach
    void start() throws Exception {
        store.insertPeer(new StoredPeer(LINK, "fra", null, fraKey.publicKey().line(), fraKey.publicKey().fingerprint(),
                false, false, Instant.now(), 0, 0, 0), new AuditEntry(new Source(Source.Kind.USER, "admin"),
                        "federation.join", "peer/fra", null, null));
        ber = new Federation(store, new JdbcAuditLog(null, database.dataSource()),
                () -> new Instance("ber", "ber", "1.0"), new MemorySystems(), RestoredPeerTest.NO_ADMIN,
                new RestoredPeerTest.AllOk(), new MemoryTimeline(Set.of()),
                new JdbcEventStore(null, database.database(), database.dataSource()), "http://127.0.0.1:1",
                new RestoredPeerTest.Config(), CLOCK);
        ber.open();
        fraAtBer = ber.allPeers().iterator().next();
        Federation.Identity identity = ber.identity(TestCaller.everywhere("admin"));
        fra = new LinkTest.Host("fra", fraKey, new Peer(new StoredPeer(LINK, "ber", null, identity.publicKey(),
                identity.fingerprint(), true, false, Instant.now(), 0, 0, 0)));
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
    void aDialerStartedAfterOneWasStoppedLinksAgainAndMessagesFlow() {
        Dialer first = dial();
        LinkTest.await(() -> fra.opened.size() == 1, "linked");
        // As federation:peer-set ber --dial out does, which keeps dialing the peer.
        first.stop();
        assertNull(fra.peer.link(), "the stopped dialer's link ended with it");
        Dialer second = dial();
        try {
            LinkTest.await(() -> fra.opened.size() == 2, "linked again");
            fra.enqueue(new Message(Delivery.WITHDRAWN, JsonNodeFactory.instance.objectNode()));
            LinkTest.await(() -> fra.peer.acknowledged.get() == 1, "ber acknowledges a message over the new link");
            assertEquals(1, fraAtBer.received.get());
            assertTrue(fra.refusals.isEmpty(), fra.refusals.toString());
        } finally {
            second.stop();
        }
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

    @Test
    void aRequestWithoutAnUpgradeIsAProblemDocumentInUtf8() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("http")))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(400, response.statusCode());
        assertEquals("application/problem+json;charset=utf-8", response.headers().firstValue("Content-Type")
                .orElseThrow().toLowerCase(Locale.ROOT).replace(" ", ""));
    }

    private Dialer dial() {
        Dialer dialer = new Dialer(fra, fra.peer, URI.create(url("http")), CLOCK, Duration.ofSeconds(1), 1 << 20);
        dialer.start();
        return dialer;
    }

    private String url(String scheme) {
        return scheme + "://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                + Federation.LINK_PATH;
    }
}
