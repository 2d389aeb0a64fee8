package io.hanse.kernel.security.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.security.Caller;
import io.hanse.api.security.SecurityService;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditLog;
import java.util.Map;
import java.util.TreeMap;
import org.apache.karaf.features.FeatureEvent;
import org.apache.karaf.features.FeaturesListener;
import org.apache.karaf.features.RepositoryEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits plugins being installed and uninstalled ({@code feature:install} and the like). That is
 * not a database change, so the entry has a transaction of its own; the actor is the shell user
 * who ran the command, or the kernel when nobody did (a boot feature, the features service itself).
 */
@Component
public final class FeatureAudit implements FeaturesListener {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureAudit.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditLog audit;
    private final SecurityService security;

    @Activate
    public FeatureAudit(@Reference AuditLog audit, @Reference SecurityService security) {
        this.audit = audit;
        this.security = security;
    }

    @Override
    public void featureEvent(FeatureEvent event) {
        if (event.isReplay()) {
            return; // what was installed before this listener came: already audited back then
        }
        boolean installed = event.getType() == FeatureEvent.EventType.FeatureInstalled;
        if (!installed && event.getType() != FeatureEvent.EventType.FeatureUninstalled) {
            return;
        }
        Caller caller = security.shellCaller();
        Source actor = caller.authenticated() ? caller.source() : Source.KERNEL;
        String feature = event.getFeature().getName() + "/" + event.getFeature().getVersion();
        try {
            String summary = JSON.writeValueAsString(new TreeMap<>(Map.of("feature", event.getFeature().getName(),
                    "version", event.getFeature().getVersion())));
            audit.append(new AuditEntry(actor, installed ? "feature.install" : "feature.uninstall",
                    "feature/" + feature, installed ? null : summary, installed ? summary : null));
        } catch (JsonProcessingException | RuntimeException e) {
            // The features service must not fail an installation because the audit log is unreachable.
            LOG.error("Could not audit {} of feature {}", installed ? "installation" : "removal", feature, e);
        }
    }

    @Override
    public void repositoryEvent(RepositoryEvent event) {
        // Repositories only offer features; installing one is what changes the instance.
    }
}
