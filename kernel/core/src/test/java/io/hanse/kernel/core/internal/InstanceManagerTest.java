package io.hanse.kernel.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.config.Settings;
import io.hanse.kernel.store.InstanceRecord;
import io.hanse.kernel.store.InstanceStore;
import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.List;
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
    void anInvalidConfiguredNameIsLoggedAndTheStoredNameIsKept() {
        assertEquals("fra1-ops", InstanceManager.configuredName(config(" fra1-ops ")));
        assertEquals("", InstanceManager.configuredName(config("Fra1 Ops")));
        assertEquals(List.of("etc/io.hanse.instance.cfg: name = \"Fra1 Ops\": Instance name 'Fra1 Ops' is not valid:"
                + " use 1 to 63 lower-case letters, digits and dashes, not starting or ending with a dash; using \"\""),
                Settings.problems().stream().filter(problem -> problem.startsWith("etc/io.hanse.instance.cfg:"))
                        .toList());
    }

    @Test
    void invalidConfiguredNameIsRefusedAndNothingIsStored() {
        assertThrows(IllegalArgumentException.class, () -> InstanceManager.resolve("Fra1 Ops", store, () -> "host"));
        assertEquals(null, store.record);
    }

    private static InstanceConfig config(String name) {
        return new InstanceConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return InstanceConfig.class;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
