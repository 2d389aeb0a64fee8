package io.hanse.kernel.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** What the health check finds of the bundles and components, and what it tells other bundles of it. */
class HealthCheckTest {

    private static final Bundle KERNEL = bundle("io.hanse.kernel.core", Bundle.ACTIVE);
    /** Not Hanse's: its state does not count. */
    private static final Bundle OTHER = bundle("org.apache.felix.scr", Bundle.RESOLVED);

    @Test
    void componentsAreUpWhenEveryHanseBundleIsActiveAndEachComponentRuns() {
        HealthCheck health = new HealthCheck(context(KERNEL, OTHER), components(Map.of(
                component("SystemManager"), ComponentConfigurationDTO.ACTIVE,
                component("HealthResource"), ComponentConfigurationDTO.SATISFIED)));

        assertTrue(health.componentsUp(), "every Hanse bundle and component runs");
        assertEquals(List.of(), health.check().problems());
    }

    @Test
    void componentsAreDownWhileAHanseBundleStarts() {
        HealthCheck health = new HealthCheck(context(KERNEL, bundle("io.hanse.kernel.agents", Bundle.STARTING)),
                components(Map.of(component("SystemManager"), ComponentConfigurationDTO.ACTIVE)));

        assertFalse(health.componentsUp(), "a Hanse bundle is starting");
        assertEquals(List.of("io.hanse.kernel.agents 1.0.0 is starting"), health.check().problems());
    }

    @Test
    void componentsAreDownWhileAComponentWaitsForAService() {
        HealthCheck health = new HealthCheck(context(KERNEL), components(Map.of(
                component("SystemManager"), ComponentConfigurationDTO.UNSATISFIED_REFERENCE)));

        assertFalse(health.componentsUp(), "a component waits for the store");
        assertEquals(List.of("io.hanse.kernel.core SystemManager is waiting for store"), health.check().problems());
    }

    private static ComponentDescriptionDTO component(String name) {
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = name;
        description.bundle = new BundleDTO();
        description.bundle.symbolicName = KERNEL.getSymbolicName();
        return description;
    }

    private static Bundle bundle(String symbolicName, int state) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "getState" -> state;
                    case "getVersion" -> new Version(1, 0, 0);
                    case "getHeaders" -> new Hashtable<>(Map.of("Hanse-Version", "1.0.0"));
                    case "adapt" -> null; // no revision: not a fragment
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static BundleContext context(Bundle... bundles) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "getBundles" -> bundles;
                    case "getBundle" -> KERNEL;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The runtime, with one configuration in the given state for each component. */
    private static ServiceComponentRuntime components(Map<ComponentDescriptionDTO, Integer> states) {
        return (ServiceComponentRuntime) Proxy.newProxyInstance(ServiceComponentRuntime.class.getClassLoader(),
                new Class<?>[] {ServiceComponentRuntime.class},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "getComponentDescriptionDTOs" -> states.keySet();
                    case "getComponentConfigurationDTOs" -> List.of(configuration(states.get(arguments[0])));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A configuration in a state; when that is waiting, it waits for the reference {@code store}. */
    private static ComponentConfigurationDTO configuration(int state) {
        ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
        configuration.state = state;
        UnsatisfiedReferenceDTO store = new UnsatisfiedReferenceDTO();
        store.name = "store";
        configuration.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {store};
        return configuration;
    }
}
