package io.hanse.kernel.core.internal;

import io.hanse.api.UnavailableException;
import io.hanse.api.config.Settings;
import io.hanse.api.health.HealthService;
import io.hanse.api.instance.Instance;
import io.hanse.api.instance.InstanceService;
import io.hanse.kernel.store.Database;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Checks the database and every Hanse bundle and component. It depends on nothing it checks, so
 * it can always say what is wrong. As the {@link HealthService} it tells other bundles, the REST API's
 * among them, whether the bundles and components run.
 */
@Component(service = {HealthCheck.class, HealthService.class})
public final class HealthCheck implements HealthService {

    static final String HANSE_BUNDLE_PREFIX = "io.hanse.";

    private final BundleContext context;
    private final ServiceComponentRuntime components;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile InstanceService instances;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Database database;

    @Activate
    public HealthCheck(BundleContext context, @Reference ServiceComponentRuntime components) {
        this.context = context;
        this.components = components;
    }

    public Health check() {
        InstanceService instanceService = instances;
        Instance instance = instanceService == null ? null : instanceService.instance();
        return new Health(KernelVersion.of(context.getBundle()), instance, checkDatabase(), problems(),
                Settings.problems());
    }

    /** Whether {@link #check()} would find no problem with a bundle or component; the database is not asked. */
    @Override
    public boolean componentsUp() {
        return problems().isEmpty();
    }

    private Health.DatabaseHealth checkDatabase() {
        Database db = database;
        if (db == null) {
            return new Health.DatabaseHealth(null,
                    "no database is configured and running; see the log of io.hanse.kernel.store");
        }
        try {
            db.ping();
            return new Health.DatabaseHealth(db.kind().name(), null);
        } catch (UnavailableException e) {
            return new Health.DatabaseHealth(db.kind().name(), e.getMessage());
        }
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        List<Bundle> active = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName();
            if (name == null || !name.startsWith(HANSE_BUNDLE_PREFIX)) {
                continue;
            }
            if (bundle.getState() == Bundle.ACTIVE || isFragment(bundle) && bundle.getState() == Bundle.RESOLVED) {
                active.add(bundle);
            } else {
                problems.add(name + " " + bundle.getVersion() + " is " + stateName(bundle.getState()));
            }
        }
        for (ComponentDescriptionDTO description : components.getComponentDescriptionDTOs(
                active.toArray(Bundle[]::new))) {
            for (ComponentConfigurationDTO configuration : components.getComponentConfigurationDTOs(description)) {
                String problem = describe(configuration);
                if (problem != null) {
                    problems.add(description.bundle.symbolicName + " " + description.name + " " + problem);
                }
            }
        }
        return problems;
    }

    private static String describe(ComponentConfigurationDTO configuration) {
        return switch (configuration.state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "has no configuration";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "is waiting for "
                    + Arrays.stream(configuration.unsatisfiedReferences)
                            .map(HealthCheck::describe)
                            .collect(Collectors.joining(", "));
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "failed to start: " + firstLine(configuration.failure);
            default -> null;
        };
    }

    private static String firstLine(String text) {
        return text == null ? "see the log" : text.lines().findFirst().orElse("");
    }

    private static String describe(UnsatisfiedReferenceDTO reference) {
        return reference.target == null ? reference.name : reference.name + " " + reference.target;
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "installed but not resolved";
            case Bundle.RESOLVED -> "resolved but not started";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "in state " + state;
        };
    }
}
