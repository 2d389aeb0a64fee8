package io.hanse.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import org.junit.jupiter.api.Test;

class SchemaCheckTest {

    private static final String CHANGE_LOG = "db/schema-check-test/changelog.xml";

    @Entity
    @Table(name = "check_thing")
    static class Thing {
        @Id
        @Column(name = "id")
        long id;

        @Column(name = "label")
        String label;
    }

    @Entity
    @Table(name = "check_thing")
    static class ThingWithExtraColumn {
        @Id
        @Column(name = "id")
        long id;

        @Column(name = "colour")
        String colour;
    }

    @Test
    void passesWhenEntitiesMatch() {
        SchemaCheck.assertEntitiesMatchChangeLog(CHANGE_LOG, Thing.class);
    }

    @Test
    void namesTheColumnTheChangeLogLacks() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> SchemaCheck.assertEntitiesMatchChangeLog(CHANGE_LOG, ThingWithExtraColumn.class));
        assertTrue(error.getMessage().contains("colour"), error.getMessage());
    }

    @Test
    void namesAChangeLogThatDoesNotExist() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> SchemaCheck.assertEntitiesMatchChangeLog("db/nowhere/changelog.xml", Thing.class));
        assertTrue(error.getMessage().contains("db/nowhere/changelog.xml"), error.getMessage());
    }
}
