package io.hanse.kernel.core.internal;

import io.hanse.api.instance.Instance;
import io.hanse.api.instance.InstanceService;
import io.hanse.kernel.store.InstanceRecord;
import io.hanse.kernel.store.InstanceStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
@Component(configurationPid = InstanceConfig.PID)
@Designate(ocd = InstanceConfig.class)
public final class InstanceManager implements InstanceService {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceManager.class);

    private final Instance instance;

    @Activate
    public InstanceManager(BundleContext context, InstanceConfig config, @Reference InstanceStore store) {
        String configured = config.name().strip();
        if (!configured.isEmpty()) {
            InstanceNames.requireValid(configured);
        }
        InstanceRecord record = store.loadOrCreate(configured.isEmpty() ? defaultName() : configured);
        if (!configured.isEmpty() && !configured.equals(record.name())) {
            LOG.info("Renaming instance {} from '{}' to '{}' as configured", record.id(), record.name(), configured);
            record = store.rename(configured);
        }
        this.instance = new Instance(record.id(), record.name(), KernelVersion.of(context.getBundle()));
        LOG.info("This is Hanse instance '{}' ({}), version {}", instance.name(), instance.id(), instance.version());
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
