package io.hanse.kernel.federation.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.WebSocketListener;
import org.eclipse.jetty.websocket.api.WebSocketPolicy;
import org.eclipse.jetty.websocket.server.WebSocketServerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where peers dial: a plain servlet in the REST API's context that upgrades to a WebSocket with
 * Jetty's own WebSocket server, so registering it restarts no servlet context (as a JSR 356 endpoint
 * through Pax Web would). A connection whose handshake is not over within {@link Link#HANDSHAKE} is
 * closed, as the dialing side does: the dialer's pings would keep Jetty's idle timeout from ever ending
 * one, and anyone may open them.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=hanse-federation-link",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + Federation.LINK_PATH})
public final class LinkServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LinkServlet.class);
    private static final Duration IDLE = Duration.ofMinutes(2);

    private final transient Federation federation;
    private transient WebSocketServerFactory factory;
    /** Ends links whose handshake is not over in time. */
    private transient ScheduledExecutorService deadlines;

    @Activate
    public LinkServlet(@Reference Federation federation) {
        this.federation = federation;
    }

    @Override
    public void init() throws ServletException {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        // Jetty finds its own classes through the context class loader.
        thread.setContextClassLoader(WebSocketServerFactory.class.getClassLoader());
        try {
            WebSocketPolicy policy = WebSocketPolicy.newServerPolicy();
            policy.setMaxTextMessageSize(federation.maxFrameBytes());
            policy.setMaxBinaryMessageSize(federation.maxFrameBytes());
            policy.setIdleTimeout(IDLE.toMillis());
            factory = new WebSocketServerFactory(getServletContext(), policy);
            factory.setCreator((request, response) -> new Connection(request.getRemoteAddress()));
            deadlines = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread daemon = new Thread(task, "hanse-federation-handshake-deadlines");
                daemon.setDaemon(true);
                return daemon;
            });
            factory.start();
        } catch (Exception e) {
            throw new ServletException("cannot start the WebSocket server for federation links", e);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (factory.isUpgradeRequest(request, response) && factory.acceptWebSocket(request, response)) {
            return;
        }
        if (!response.isCommitted()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("application/problem+json");
            // As every other problem document; the servlet's default would be ISO-8859-1.
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                    + "\"detail\":\"this is where peer instances connect, with a WebSocket upgrade\"}");
        }
    }

    @Override
    public void destroy() {
        try {
            factory.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the WebSocket server for federation links failed", e);
        }
        deadlines.shutdownNow();
    }

    /** One connection a peer dialed. */
    private final class Connection implements WebSocketListener, Link.Transport {

        private final String address;
        private final Link link = federation.accept(this);
        private volatile Session session;

        Connection(String address) {
            this.address = address;
        }

        @Override
        public void onWebSocketConnect(Session opened) {
            session = opened;
            deadlines.schedule(this::handshakeDue, Link.HANDSHAKE.toMillis(), TimeUnit.MILLISECONDS);
            link.start();
        }

        private void handshakeDue() {
            try {
                link.handshakeDue();
            } catch (RuntimeException e) {
                LOG.warn("Closing a link from {} whose handshake was not over in time failed", address, e);
            }
        }

        @Override
        public void onWebSocketText(String frame) {
            link.received(frame);
        }

        @Override
        public void onWebSocketBinary(byte[] payload, int offset, int length) {
            link.received(new String(payload, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            link.ended("closed by the peer: " + statusCode + (reason == null ? "" : " " + reason));
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            link.ended("connection failed: " + Failures.described(cause));
        }

        @Override
        public void send(String frame) throws IOException {
            Session open = session;
            if (open == null || !open.isOpen()) {
                throw new IOException("the connection is closed");
            }
            open.getRemote().sendBytes(ByteBuffer.wrap(frame.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close(String reason) {
            Session open = session;
            if (open != null && open.isOpen()) {
                open.close(StatusCode.NORMAL, reason.length() > 100 ? reason.substring(0, 100) : reason);
            }
        }

        @Override
        public String address() {
            return address;
        }
    }
}
