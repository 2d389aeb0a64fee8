package io.hanse.kernel.core.internal;

import io.hanse.api.config.Settings;
import io.hanse.api.instance.Instance;
import io.hanse.api.instance.InstanceService;
import io.hanse.kernel.store.InstanceRecord;
import io.hanse.kernel.store.InstanceStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this instance's record at start, creating it on the very first start, and applies a
 * configured rename.
 */
@Component(configurationPid = InstanceConfig.PID, immediate = true)
@Designate(ocd = InstanceConfig.class)
public final class InstanceManager implements InstanceService {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceManager.class);

    private final Instance instance;

    @Activate
    public InstanceManager(BundleContext context, InstanceConfig config, @Reference InstanceStore store) {
        InstanceRecord record = resolve(configuredName(config), store, InstanceManager::defaultName);
        this.instance = new Instance(record.id(), record.name(), KernelVersion.of(context.getBundle()));
        LOG.info("This is Hanse instance '{}' ({}), version {}", instance.name(), instance.id(), instance.version());
        String data = context.getProperty("karaf.data");
        if (data != null) {
            LastInstance.check(Path.of(data, LastInstance.FILE), instance);
        }
    }

    /**
     * Returns the configured name, or empty if none is configured or the one configured is not valid, which is
     * logged: the instance then keeps its stored name rather than not starting.
     */
    static String configuredName(InstanceConfig config) {
        return Settings.of(InstanceConfig.PID, InstanceConfig.class, config)
                .parsed("name", name -> name.isBlank() ? "" : InstanceNames.requireValid(name.strip()));
    }

    /**
     * Reads the stored record, creating it on the first start, and applies a configured name.
     *
     * @param configured the configured name, or empty to keep the stored one
     * @param defaultName the name for a new record when none is configured
     * @throws IllegalArgumentException if the configured name is not valid
     */
    static InstanceRecord resolve(String configured, InstanceStore store, Supplier<String> defaultName) {
        if (configured.isEmpty()) {
            return store.loadOrCreate(defaultName.get());
        }
        InstanceNames.requireValid(configured);
        InstanceRecord record = store.loadOrCreate(configured);
        if (configured.equals(record.name())) {
            return record;
        }
        LOG.info("Renaming instance {} from '{}' to '{}' as configured", record.id(), record.name(), configured);
        return store.rename(configured);
    }

    private static String defaultName() {
        try {
            return InstanceNames.fromHostName(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            return InstanceNames.fromHostName("");
        }
    }

    @Override
    public Instance instance() {
        return instance;
    }
}
