package io.hanse.kernel.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.instance.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The instance a Karaf ran at its last start: another one at this start is told. */
class LastInstanceTest {

    private static final Instance ON_POSTGRES = new Instance("3bcaf068-0000-4000-8000-000000000001", "zrh", "0.1.0");
    private static final Instance ON_H2 = new Instance("6339eea7-0000-4000-8000-000000000002", "zrh", "0.1.0");

    @TempDir
    Path data;

    @Test
    void anotherInstanceThanAtTheLastStartIsToldAndKeptForTheNext() throws Exception {
        Path file = data.resolve(LastInstance.FILE);

        assertFalse(LastInstance.check(file, ON_POSTGRES), "the first start");
        assertFalse(LastInstance.check(file, ON_POSTGRES), "the same instance again");
        assertFalse(LastInstance.check(file, new Instance(ON_POSTGRES.id(), "zrh-1", "0.2.0")), "renamed, upgraded");

        assertTrue(LastInstance.check(file, ON_H2), "started on another database");
        assertEquals(ON_H2.id() + " zrh", Files.readString(file).strip());
        assertFalse(LastInstance.check(file, ON_H2), "told once");
    }
}
