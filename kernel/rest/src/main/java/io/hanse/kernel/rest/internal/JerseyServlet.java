package io.hanse.kernel.rest.internal;

import javax.servlet.ServletException;
import org.glassfish.jersey.inject.hk2.Hk2InjectionManagerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jersey's servlet, able to swap its application while serving: requests in flight finish on the
 * old one, new requests see the new one.
 */
final class JerseyServlet extends ServletContainer {

    private static final long serialVersionUID = 1L;

    /** The application to switch to once the container has initialised the servlet. */
    private transient ResourceConfig pending;
    private boolean initialized;

    JerseyServlet(ResourceConfig initial) {
        super(initial);
    }

    @Override
    public synchronized void init() throws ServletException {
        withJerseyClassLoader(super::init);
        initialized = true;
        if (pending != null) {
            ResourceConfig next = pending;
            pending = null;
            withJerseyClassLoader(() -> reload(next));
        }
    }

    synchronized void update(ResourceConfig next) throws ServletException {
        if (initialized) {
            withJerseyClassLoader(() -> reload(next));
        } else {
            pending = next;
        }
    }

    private interface JerseyAction {
        void run() throws ServletException;
    }

    /**
     * Runs with the context class loader that finds Jersey's injection manager. In OSGi Jersey
     * looks it up through the thread's context class loader and fails without this.
     */
    private static void withJerseyClassLoader(JerseyAction action) throws ServletException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Hk2InjectionManagerFactory.class.getClassLoader());
        try {
            action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
