package io.hanse.api.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ManagedSystemTest {

    private static final List<String> KEYS = List.of("app", "backup", "cluster", "dc", "env", "host", "os", "rack",
            "role", "team", "tier", "zone");

    private static Map<String, String> labels() {
        Map<String, String> labels = new TreeMap<>();
        KEYS.forEach(key -> labels.put(key, "v"));
        return labels;
    }

    @Test
    void labelsAreSortedByKeyAsDocumented() {
        ManagedSystem system = new ManagedSystem(UUID.randomUUID(), "db-1", "db-1", "host", labels(), "", List.of(),
                List.of(), Rules.NONE, List.of(), Optional.empty(), Instant.EPOCH, Instant.EPOCH);

        assertEquals(KEYS, List.copyOf(system.labels().keySet()));
    }

    @Test
    void toDraftKeepsEverything() {
        SystemDraft draft = SystemDraft.builder("storage").name("Storage").kind("service").labels(Map.of("dc", "fra1"))
                .description("all disks").owners(List.of("team-storage")).members(List.of("db-1", "db-2"))
                .selector(Selector.parse("kind=db")).build();
        ManagedSystem system = new ManagedSystem(UUID.randomUUID(), draft.slug(), draft.name(), draft.kind(),
                draft.labels(), draft.description(), draft.owners(), draft.links(), draft.rules(), draft.members(),
                draft.selector(), Instant.EPOCH, Instant.EPOCH);

        assertEquals(draft, system.toDraft().build());
    }
}
