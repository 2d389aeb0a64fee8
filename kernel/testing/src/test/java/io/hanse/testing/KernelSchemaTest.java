package io.hanse.testing;

import io.hanse.kernel.store.internal.InstanceEntity;
import org.junit.jupiter.api.Test;

/** The kernel's own entities, checked with the kit plugin authors use. */
class KernelSchemaTest {

    @Test
    void entitiesMatchTheChangeLog() {
        SchemaCheck.assertEntitiesMatchChangeLog("db/io.hanse.kernel.store/changelog.xml", InstanceEntity.class);
    }
}
