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

    @Test
    void aValueThatIsNotTheParametersKindIsNamedAndALongOneNotRepeatedWhole() {
        String text = "x".repeat(5_000);
        String quoted = "'" + "x".repeat(128) + "…' (5,000 characters)";

        assertEquals("from must be an ISO-8601 time such as 2026-11-23T10:15:30Z, not 'yesterday'", assertThrows(
                InvalidRequestException.class, () -> Parameters.instant("from", "yesterday")).getMessage());
        assertEquals("from must be an ISO-8601 time such as 2026-11-23T10:15:30Z, not " + quoted,
                assertThrows(InvalidRequestException.class, () -> Parameters.instant("from", text)).getMessage());
        assertEquals("every must be an ISO-8601 duration such as PT1H or P30D, not " + quoted,
                assertThrows(InvalidRequestException.class, () -> Parameters.duration("every", text)).getMessage());
        assertEquals("id must be an id such as 0b7e…, not " + quoted,
                assertThrows(InvalidRequestException.class, () -> Parameters.id("id", text)).getMessage());
    }
}
