package io.hanse.kernel.store.internal;

import io.hanse.api.store.SchemaMigrator;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Present once the kernel's tables are up to date: the stores of this bundle require it, so the
 * change log runs once, before any of them touches the database.
 */
@Component(service = KernelSchema.class)
public final class KernelSchema {

    @Activate
    public KernelSchema(BundleContext context, @Reference SchemaMigrator migrator) {
        migrator.migrate(context.getBundle());
    }
}
