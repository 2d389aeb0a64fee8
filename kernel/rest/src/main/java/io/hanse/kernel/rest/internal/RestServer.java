package io.hanse.kernel.rest.internal;

import io.hanse.api.rest.RestResource;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST whiteboard: serves every {@link RestResource} service under {@code /api/v1}, adding
 * and removing endpoints as resources come and go.
 */
@Component(service = {}, configurationPid = RestConfig.PID)
@Designate(ocd = RestConfig.class)
public final class RestServer {

    static final String PATTERN = "/api/v1/*";

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    private final int maxBodyBytes;
    private final List<RestResource> resources = new CopyOnWriteArrayList<>();
    private JerseyServlet servlet;
    private ServiceRegistration<Servlet> registration;

    @Activate
    public RestServer(RestConfig config) {
        this.maxBodyBytes = config.maxBodyBytes();
    }

    @Activate
    synchronized void start(BundleContext context) {
        servlet = new JerseyServlet(RestApplication.create(resources, maxBodyBytes));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "hanse-rest");
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, PATTERN);
        registration = context.registerService(Servlet.class, servlet, properties);
        LOG.info("REST API at {} with {} resources", PATTERN, resources.size());
    }

    @Deactivate
    synchronized void stop() {
        registration.unregister();
        servlet = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addResource(RestResource resource) {
        resources.add(resource);
        refresh(resource, "added");
    }

    void removeResource(RestResource resource) {
        resources.remove(resource);
        refresh(resource, "removed");
    }

    private synchronized void refresh(RestResource resource, String change) {
        if (servlet == null) {
            return; // not started yet or stopped: start() takes what is there
        }
        try {
            servlet.update(RestApplication.create(resources, maxBodyBytes));
            LOG.info("REST resource {} {}", resource.getClass().getName(), change);
        } catch (ServletException | RuntimeException e) {
            LOG.error("REST resource {} could not be {}; the API keeps its previous resources",
                    resource.getClass().getName(), change, e);
        }
    }
}
