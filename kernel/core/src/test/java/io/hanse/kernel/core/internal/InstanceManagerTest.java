package io.hanse.kernel.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.kernel.store.InstanceRecord;
import io.hanse.kernel.store.InstanceStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InstanceManagerTest {

    /** Keeps the record in memory, as the JPA store keeps it in its table. */
    private static final class MemoryStore implements InstanceStore {
        InstanceRecord record;
        int creates;

        @Override
        public InstanceRecord loadOrCreate(String name) {
            if (record == null) {
                record = new InstanceRecord("id-1", name, Instant.EPOCH);
                creates++;
            }
            return record;
        }

        @Override
        public InstanceRecord rename(String name) {
            record = new InstanceRecord(record.id(), name, record.created());
            return record;
        }
    }

    private final MemoryStore store = new MemoryStore();

    @Test
    void firstStartWithoutConfigurationTakesTheDefaultName() {
        assertEquals("host-1", InstanceManager.resolve("", store, () -> "host-1").name());
    }

    @Test
    void laterStartsKeepTheStoredNameWhenNoneIsConfigured() {
        InstanceManager.resolve("", store, () -> "host-1");

        InstanceRecord record = InstanceManager.resolve("", store, () -> "renamed-host");

        assertEquals("host-1", record.name());
        assertEquals(1, store.creates);
    }

    @Test
    void configuredNameRenamesAndKeepsTheId() {
        InstanceManager.resolve("", store, () -> "host-1");

        InstanceRecord record = InstanceManager.resolve("fra1-ops", store, () -> "host-1");

        assertEquals("fra1-ops", record.name());
        assertEquals("id-1", record.id());
        assertEquals("fra1-ops", store.record.name());
    }

    @Test
    void invalidConfiguredNameIsRefusedAndNothingIsStored() {
        assertThrows(IllegalArgumentException.class, () -> InstanceManager.resolve("Fra1 Ops", store, () -> "host"));
        assertEquals(null, store.record);
    }
}
