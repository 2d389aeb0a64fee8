package io.hanse.example.internal;

import io.hanse.testing.SchemaCheck;
import org.junit.jupiter.api.Test;

/** Every plugin with entities keeps this test: its entities must match its change log. */
class NoteSchemaTest {

    @Test
    void entitiesMatchTheChangeLog() {
        SchemaCheck.assertEntitiesMatchChangeLog("db/io.hanse.example/changelog.xml", NoteEntity.class);
    }
}
