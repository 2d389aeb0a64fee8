package io.hanse.kernel.core.command.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Rules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemSetCommandTest {

    @Test
    void reportsTheChangedPartsInTheirOrder() {
        ManagedSystem before = Systems.storage();
        ManagedSystem after = new ManagedSystem(before.id(), before.slug(), "Storage FRA", before.kind(),
                Map.of("dc", "fra1"), before.description(), before.owners(), before.links(), Rules.NONE,
                before.members(), before.selector(), before.created(), before.updated());

        assertEquals(List.of("name", "labels", "rules"), SystemSetCommand.changes(before, after));
        assertEquals("Updated system storage-fra1: name, labels, rules", SystemSetCommand.report(before, after));
    }

    @Test
    void reportsARenameWithTheOldSlug() {
        ManagedSystem before = Systems.bare("db-1");
        ManagedSystem after = new ManagedSystem(before.id(), "db-2", before.name(), before.kind(), before.labels(),
                before.description(), before.owners(), before.links(), before.rules(), before.members(),
                before.selector(), before.created(), before.updated());

        assertEquals("Updated system db-2 (was db-1): slug", SystemSetCommand.report(before, after));
    }

    @Test
    void comparesEveryPart() {
        ManagedSystem bare = Systems.bare("storage-fra1");

        assertEquals(List.of("name", "kind", "labels", "description", "owners", "links", "rules", "members",
                "selector"), SystemSetCommand.changes(bare, Systems.storage()));
    }
}
