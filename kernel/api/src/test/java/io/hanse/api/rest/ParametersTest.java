package io.hanse.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParametersTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void aTimeADurationLaterIsRefusedNamingTheParameterWhenHanseCannotStoreIt() {
        assertEquals(Instant.parse("2026-12-06T16:00:00Z"), Parameters.plus("--expires", NOW, Duration.ofHours(4)));
        assertEquals("--expires must be a time in the years 1 to 9999, not +2739933-12-08T12:00:00Z",
                assertThrows(InvalidRequestException.class,
                        () -> Parameters.plus("--expires", NOW, Duration.parse("P999999999D"))).getMessage());
        assertEquals("--duration must be a time in the years 1 to 9999, not 2026-12-06T12:00:00Z +"
                + " PT2562047788015215H30M7S", assertThrows(InvalidRequestException.class,
                        () -> Parameters.plus("--duration", NOW, Duration.ofSeconds(Long.MAX_VALUE))).getMessage());
    }
}
