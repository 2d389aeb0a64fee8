package io.hanse.kernel.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InstanceNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "ops-01", "fra1", "customer-x-monitoring"})
    void acceptsDnsLabelLikeNames(String name) {
        assertEquals(name, InstanceNames.requireValid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-ops", "ops-", "Ops", "ops_01", "ops.example", "ops/01"})
    void refusesOtherNamesSayingWhatIsAllowed(String name) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> InstanceNames.requireValid(name));
        assertTrue(error.getMessage().contains("lower-case letters, digits and dashes"), error.getMessage());
    }

    @Test
    void refusesNamesLongerThan63() {
        assertThrows(IllegalArgumentException.class, () -> InstanceNames.requireValid("a".repeat(64)));
    }

    @ParameterizedTest
    @CsvSource({
        "Ops-01.example.org, ops-01",
        "vm, vm",
        "_weird_host_, weird-host",
        "'', hanse",
        "..., hanse"
    })
    void derivesValidNamesFromHostNames(String hostName, String expected) {
        String derived = InstanceNames.fromHostName(hostName);
        assertEquals(expected, derived);
        InstanceNames.requireValid(derived);
    }

    @Test
    void cutsLongHostNamesToAValidName() {
        String derived = InstanceNames.fromHostName("a".repeat(62) + "-b" + "c".repeat(10));
        assertEquals("a".repeat(62), derived);
        InstanceNames.requireValid(derived);
    }
}
