package io.hanse.kernel.rest.internal;

import io.hanse.api.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ServletConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.core.HttpHeaders;
import org.glassfish.jersey.inject.hk2.Hk2InjectionManagerFactory;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet behind {@code /api/v1}: a Jersey application that can be replaced while serving.
 * <p>
 * A change builds and starts the new application completely before any request sees it, so an
 * application Jersey refuses leaves the current one serving. Requests in flight finish on the
 * application they started on, long polls and streams too, which is shut down once the last of them
 * is done, or {@link #RETIRED_FOR} after it was replaced. When the container restarts the servlet, it
 * starts from the latest application, not the first.
 */
final class RestServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RestServlet.class);
    /** At most this much of a refused body is read and thrown away; beyond it the connection is closed. */
    private static final long MAX_DISCARDED_BYTES = 16L * 1024 * 1024;
    /** How long a replaced application serves requests still open on it: longer than the longest long poll. */
    static final Duration RETIRED_FOR = Duration.ofMinutes(2);

    /** Whose address a request is counted under. */
    private final transient ClientAddress clients;
    /** The latest application, checked; guarded by this. */
    private transient ResourceConfig latest;
    private transient volatile Running running;
    /** Replaced applications still serving requests, which {@link #destroy} shuts down at once. */
    private final transient Set<Running> retiring = ConcurrentHashMap.newKeySet();
    /** Runs what waits: releases and shut-downs; from {@link #init} to {@link #destroy}. */
    private transient volatile ScheduledExecutorService later;

    /** @param initial the application to start with; an empty one is always valid */
    RestServlet(ResourceConfig initial, ClientAddress clients) {
        this.latest = initial;
        this.clients = clients;
    }

    @Override
    public synchronized void init(ServletConfig config) throws ServletException {
        super.init(config);
        later = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "hanse-rest-retired");
            thread.setDaemon(true);
            return thread;
        });
        running = start(latest);
    }

    /** Shuts every application down, also those still serving long polls and streams. */
    @Override
    public synchronized void destroy() {
        if (running != null) {
            running.retire();
            running = null;
        }
        List.copyOf(retiring).forEach(Running::destroyOnce);
        if (later != null) {
            later.shutdownNow();
        }
    }

    /** Runs a task after a delay, or at once once the servlet is destroyed. */
    private void after(Duration delay, Runnable task) {
        try {
            later.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /**
     * Switches to a new application.
     *
     * @throws ServletException if Jersey refuses it; the current application keeps serving
     */
    synchronized void update(ResourceConfig next) throws ServletException {
        if (running == null) {
            check(next);
        } else {
            Running previous = running;
            running = start(next);
            previous.retire();
        }
        latest = next;
    }

    @Override
    public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        try {
            // Jersey's servlet reads it before any filter, and answers a malformed one with a bare 400.
            RequestBodyFilter.contentType(Collections.list(
                    ((HttpServletRequest) request).getHeaders(HttpHeaders.CONTENT_TYPE)));
        } catch (InvalidRequestException e) {
            ApiFallbackServlet.write((HttpServletResponse) response,
                    Problem.of(HttpServletResponse.SC_BAD_REQUEST, e.getMessage()));
            return;
        }
        Running current = acquire();
        if (current == null) {
            // Destroyed and not yet taken away, or never started: as while it is gone.
            ApiFallbackServlet.write((HttpServletResponse) response, Problem.of(
                    HttpServletResponse.SC_SERVICE_UNAVAILABLE, ApiFallbackServlet.STARTING_OR_STOPPING));
            return;
        }
        // Jersey shows servlet request attributes as request properties: how the filter learns the address.
        request.setAttribute(AuthorizationFilter.ADDRESS, clients.of(request.getRemoteAddr(),
                ((HttpServletRequest) request).getHeaders(ClientAddress.FORWARDED_FOR)));
        boolean suspended = false;
        try {
            current.container.service(request, response);
            if (request.isAsyncStarted()) {
                // A long poll or a stream goes on after service returns: it counts until its response completes.
                // The container completes it only after this dispatch returns, so the listener hears of it.
                request.getAsyncContext().addListener(new Release(current));
                suspended = true;
            }
        } finally {
            if (!suspended) {
                current.release();
            }
        }
        if (((HttpServletResponse) response).getStatus() == 413) {
            try {
                discardUnread(request);
            } catch (IOException e) {
                // The client stopped sending: there is nothing left to read, and the 413 is written.
            }
        }
    }

    /**
     * Reads what is left of a refused body, up to a bound, before the response completes. Closing
     * the connection on a client that is still sending makes it fail with "broken pipe" before it
     * reads the 413; this way it finishes sending and reads the refusal.
     */
    private static void discardUnread(ServletRequest request) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = MAX_DISCARDED_BYTES;
        InputStream body = request.getInputStream();
        int read;
        while (left > 0 && (read = body.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
            left -= read;
        }
    }

    /** The running application with one more request counted on it, or null if there is none. */
    private Running acquire() {
        while (true) {
            Running current = running;
            if (current == null) {
                return null;
            }
            current.inFlight.incrementAndGet();
            if (!current.retired) {
                return current;
            }
            current.release(); // replaced meanwhile: count on the new one
        }
    }

    private Running start(ResourceConfig application) throws ServletException {
        // Jersey locks a configuration it has started from; each start gets a copy.
        ServletContainer container = new ServletContainer(new ResourceConfig(application));
        withJerseyClassLoader(() -> container.init(getServletConfig()));
        return new Running(container);
    }

    /** Builds the application without serving it, which is where Jersey refuses a bad one. */
    private static void check(ResourceConfig application) throws ServletException {
        withJerseyClassLoader(() -> new ApplicationHandler(new ResourceConfig(application)));
    }

    private interface JerseyAction {
        void run() throws ServletException;
    }

    /**
     * Runs with the context class loader that finds Jersey's injection manager: in OSGi Jersey
     * looks it up through the thread's context class loader and fails without this. Jersey's
     * refusal of an application, an unchecked exception, becomes a ServletException.
     */
    private static void withJerseyClassLoader(JerseyAction action) throws ServletException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Hk2InjectionManagerFactory.class.getClassLoader());
        try {
            action.run();
        } catch (RuntimeException e) {
            throw new ServletException(e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Releases an asynchronous request from its application once, when its response is done. */
    private final class Release implements AsyncListener {
        private final Running running;
        private final AtomicBoolean released = new AtomicBoolean();

        Release(Running running) {
            this.running = running;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release();
        }

        @Override
        public void onError(AsyncEvent event) {
            release();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this); // started again: listeners are kept only if they add themselves
        }

        /**
         * Jersey tells of the completion before it is done with the request, and fails if its application
         * is shut down meanwhile: the release waits a moment.
         */
        private void release() {
            if (released.compareAndSet(false, true)) {
                after(Duration.ofSeconds(1), running::release);
            }
        }
    }

    /** One started application and the requests running on it. */
    private final class Running {
        final ServletContainer container;
        final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicBoolean destroyed = new AtomicBoolean();
        volatile boolean retired;

        Running(ServletContainer container) {
            this.container = container;
        }

        /**
         * Shuts the application down once its last request is done, or after {@link #RETIRED_FOR} at the
         * latest: a live stream may stay open for hours, and would hold a removed plugin's classes.
         */
        void retire() {
            retired = true;
            if (inFlight.get() == 0) {
                destroyOnce();
            } else {
                retiring.add(this);
                after(RETIRED_FOR, this::destroyOnce);
            }
        }

        void release() {
            if (inFlight.decrementAndGet() == 0 && retired) {
                destroyOnce();
            }
        }

        void destroyOnce() {
            if (destroyed.compareAndSet(false, true)) {
                retiring.remove(this);
                try {
                    container.destroy();
                } catch (RuntimeException e) {
                    LOG.warn("A replaced REST application failed to shut down: {}", e.toString());
                }
            }
        }
    }
}
