package io.hanse.kernel.rest.internal;

import io.hanse.api.UnavailableException;
import io.hanse.api.config.Settings;
import io.hanse.api.health.HealthService;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Caller;
import io.hanse.kernel.security.Authenticator;
import io.hanse.kernel.security.SignedRequest;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
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
import org.osgi.service.component.annotations.ReferencePolicyOption;
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

    /** Where the API is served; resource paths are relative to it. */
    static final String BASE = "/api/v1";
    static final String PATTERN = BASE + "/*";

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    private final int maxBodyBytes;
    private final ClientAddress clients;
    /** Security, once it runs: it needs the database, and the API answers (health, 503s) before that. */
    private volatile Authenticator security;
    private final Authenticator authenticator = new CurrentSecurity();
    /** The kernel's health, once it runs: it starts with the core bundle, which may come after this one. */
    private volatile HealthService health;
    private final HealthService currentHealth = new CurrentHealth();
    // All guarded by this.
    private final List<RestResource> served = new ArrayList<>();
    private final List<RestResource> pending = new ArrayList<>();
    private RestServlet servlet;
    private ServiceRegistration<Servlet> registration;

    /**
     * Takes a body limit below {@link RestConfig#MIN_BODY_BYTES} as a mistake, logged, and serves with the
     * default instead: DS does not hold the configuration to the metatype's minimum, and every body would be
     * refused. Trusted proxies that are not addresses or ranges are logged too, and no one's
     * {@code X-Forwarded-For} is believed.
     */
    @Activate
    public RestServer(RestConfig config) {
        Settings<RestConfig> settings = Settings.of(RestConfig.PID, RestConfig.class, config);
        this.maxBodyBytes = settings.whole("maxBodyBytes", RestConfig.MIN_BODY_BYTES, Integer.MAX_VALUE);
        this.clients = settings.parsed("trustedProxies", ClientAddress::trusting);
    }

    @Activate
    synchronized void start(BundleContext context) throws ServletException {
        servlet = new RestServlet(RestApplication.create(List.of(), maxBodyBytes, authenticator, currentHealth),
                clients);
        serve(pending);
        pending.clear();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "hanse-rest");
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, PATTERN);
        // Live streams (server-sent events) hold their response open without holding a thread.
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED, true);
        registration = context.registerService(Servlet.class, servlet, properties);
        LOG.info("REST API at {} with {} resources", PATTERN, served.size());
    }

    @Deactivate
    synchronized void stop() {
        Settings.forget(RestConfig.PID);
        registration.unregister();
        servlet = null;
        served.clear();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSecurity(Authenticator security) {
        this.security = security;
    }

    void unsetSecurity(Authenticator security) {
        if (this.security == security) {
            this.security = null;
        }
    }

    /** Authenticates through security while it runs; without it only public endpoints answer. */
    private final class CurrentSecurity implements Authenticator {

        @Override
        public Caller authenticate(String authorization, String address) {
            return authorization == null ? Caller.anonymous() : running().authenticate(authorization, address);
        }

        @Override
        public Caller authenticate(SignedRequest request) {
            return running().authenticate(request);
        }

        private Authenticator running() {
            Authenticator current = security;
            if (current == null) {
                throw new UnavailableException("security is not running yet (is the database up?); try again shortly");
            }
            return current;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setHealth(HealthService health) {
        this.health = health;
    }

    void unsetHealth(HealthService health) {
        if (this.health == health) {
            this.health = null;
        }
    }

    /** Asks the kernel's health while it runs; without it, not every part of Hanse runs: its own is missing. */
    private final class CurrentHealth implements HealthService {

        @Override
        public boolean componentsUp() {
            HealthService current = health;
            return current != null && current.componentsUp();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addResource(RestResource resource) {
        if (servlet == null) {
            pending.add(resource); // start() takes them all at once
        } else {
            serve(List.of(resource));
        }
    }

    synchronized void removeResource(RestResource resource) {
        pending.remove(resource);
        if (servlet != null && served.remove(resource)) {
            try {
                servlet.update(RestApplication.create(served, maxBodyBytes, authenticator, currentHealth));
                LOG.info("REST resource {} removed", resource.getClass().getName());
            } catch (ServletException e) {
                LOG.error("Removing REST resource {} failed; its endpoints stay until the next change",
                        resource.getClass().getName(), e);
            }
        }
    }

    /**
     * Adds resources to what is served: all at once if Jersey accepts them together, otherwise
     * one by one, so that one plugin's faulty resource cannot take down the others' endpoints.
     */
    private void serve(List<RestResource> resources) {
        if (resources.isEmpty() || tryServe(resources) || resources.size() == 1) {
            return;
        }
        resources.forEach(resource -> tryServe(List.of(resource)));
    }

    private boolean tryServe(List<RestResource> resources) {
        List<RestResource> candidate = new ArrayList<>(served);
        candidate.addAll(resources);
        try {
            servlet.update(RestApplication.create(candidate, maxBodyBytes, authenticator, currentHealth));
        } catch (ServletException e) {
            if (resources.size() == 1) {
                LOG.error("REST resource {} is refused and not served: {}", resources.get(0).getClass().getName(),
                        e.getMessage());
            }
            return false;
        }
        served.addAll(resources);
        resources.forEach(resource -> LOG.info("REST resource {} added", resource.getClass().getName()));
        return true;
    }
}
