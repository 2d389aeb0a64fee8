package io.hanse.api.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.UnavailableException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Which failures are logged, and with what: the decisions, at instants the test chooses. */
class FailureLogTest {

    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private final FailureLog failures = new FailureLog(LoggerFactory.getLogger(FailureLogTest.class),
            "The test works", Clock.systemUTC());

    @Test
    void theFirstFailureIsLoggedAtOnceThenAtMostOneAMinuteWithHowManyWereNot() {
        assertEquals(OptionalLong.of(0), failures.count(START), "the first at once");
        assertEquals(OptionalLong.empty(), failures.count(START.plusSeconds(5)));
        assertEquals(OptionalLong.empty(), failures.count(START.plusSeconds(59)));
        assertEquals(OptionalLong.of(2), failures.count(START.plus(FailureLog.EVERY)), "a minute after the first");
        assertEquals(OptionalLong.empty(), failures.count(START.plus(FailureLog.EVERY).plusSeconds(1)));

        assertEquals("", FailureLog.notLogged(0), "the first says nothing more");
        assertEquals(" (2 more failures since the last one logged)", FailureLog.notLogged(2));
    }

    @Test
    void workingAgainIsSaidOnceWithSinceWhenItFailed() {
        failures.count(START);
        failures.count(START.plusSeconds(30));

        assertEquals(Optional.of(START), failures.recovered());
        assertEquals(Optional.empty(), failures.recovered(), "said once");
    }

    @Test
    void workingIsNotSaidWhenNoFailureWasLogged() {
        assertEquals(Optional.empty(), failures.recovered());
    }

    @Test
    void aFailureAfterWorkingAgainIsLoggedAtOnceAndCountsFromThen() {
        failures.count(START);
        failures.count(START.plusSeconds(10));
        failures.recovered();

        assertEquals(OptionalLong.of(0), failures.count(START.plusSeconds(20)), "the one before is forgotten");
        failures.count(START.plusSeconds(25));
        assertEquals(Optional.of(START.plusSeconds(20)), failures.recovered());
    }

    @Test
    void aFailureTryingAgainMayCureIsLoggedWithoutItsStackTrace() {
        assertTrue(FailureLog.curable(new UnavailableException("away")));
        assertTrue(FailureLog.curable(new IllegalStateException("wrapped", new SQLException("lost", "08006"))),
                "a lost connection among the causes");
        assertTrue(FailureLog.curable(new SQLException("deadlock", "40P01")));
        assertTrue(FailureLog.curable(new SQLException("no connection", new NoSuchElementException())),
                "a pool without a connection to hand out");
    }

    @Test
    void anyOtherFailureIsLoggedWithItsStackTrace() {
        assertFalse(FailureLog.curable(new NullPointerException()));
        assertFalse(FailureLog.curable(new IllegalStateException("bad", new SQLException("too long", "22001"))));
        assertFalse(FailureLog.curable(new OutOfMemoryError()));
    }

    @Test
    void failingAndWorkingLogWithoutThrowing() {
        failures.failed("Could not test; trying again", new IllegalStateException("broken"));
        failures.worked();

        assertEquals(Optional.empty(), failures.recovered(), "worked() forgot the failure");
        assertEquals(OptionalLong.of(0), failures.count(START), "and the next is logged at once");
    }
}
