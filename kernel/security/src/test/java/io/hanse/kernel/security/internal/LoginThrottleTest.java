package io.hanse.kernel.security.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.TooManyRequestsException;
import io.hanse.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    @Test
    void whenEveryTrackedKeyIsLockedOutTheOldestAreForgottenSoTheBoundHolds() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        // The first failure locks.
        LoginThrottle throttle = new LoginThrottle(0, Duration.ofHours(1), clock, lockout -> { });
        for (int i = 0; i < LoginThrottle.MAX_TRACKED; i++) {
            throttle.attempt("address " + i).failed();
            clock.advance(Duration.ofNanos(1_000));
        }
        assertThrows(TooManyRequestsException.class, () -> throttle.attempt("address 0"));

        throttle.attempt("address new").failed();

        assertDoesNotThrow(() -> throttle.attempt("address 0").close(), "the oldest are forgotten");
        assertThrows(TooManyRequestsException.class,
                () -> throttle.attempt("address " + (LoginThrottle.MAX_TRACKED - 1)), "the newest stay locked");
    }

    @Test
    void aLockoutSaysHowManySecondsAreLeft() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        LoginThrottle throttle = new LoginThrottle(0, Duration.ofHours(1), clock, lockout -> { });
        throttle.attempt("user alice").failed(); // locked out for a second

        assertEquals("too many failed logins; try again in 1 second",
                assertThrows(TooManyRequestsException.class, () -> throttle.attempt("user alice")).getMessage());
        clock.advance(Duration.ofSeconds(1));
        throttle.attempt("user alice").failed(); // for two
        assertEquals("too many failed logins; try again in 2 seconds",
                assertThrows(TooManyRequestsException.class, () -> throttle.attempt("user alice")).getMessage());
    }

    @Test
    void attemptsUnderWayCountAsIfTheyFailedOnlyAsFarAsTheOneThatWouldLockOut() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        LoginThrottle throttle = new LoginThrottle(2, Duration.ofHours(1), clock, lockout -> { });
        LoginThrottle.Attempt first = throttle.attempt("user alice");
        throttle.attempt("user alice");
        throttle.attempt("user alice");

        assertThrows(TooManyRequestsException.class, () -> throttle.attempt("user alice"), "a fourth would be one"
                + " more than the two free failures and the one that locks out");
        assertDoesNotThrow(() -> throttle.attempt("user bob").close(), "others are not held up");

        first.close();
        assertDoesNotThrow(() -> throttle.attempt("user alice"), "an attempt that did not fail gives its turn back");
    }

    @Test
    void aLockoutGoingOnIsToldAtMostOnceAMinuteWithHowManyAttemptsItRefused() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        List<LoginThrottle.Lockout> told = new ArrayList<>();
        LoginThrottle throttle = new LoginThrottle(0, Duration.ofHours(1), clock, told::add);
        // Failures at 0, 1, 3, 7, 15, 31, 63 and 127 s, each as the last lockout passed.
        for (int i = 0; i < 8; i++) {
            clock.advance(Duration.ofSeconds(i == 0 ? 0 : 1L << (i - 1)));
            throttle.attempt("address 192.0.2.1").failed();
        }
        for (int i = 0; i < 5; i++) {
            assertThrows(TooManyRequestsException.class, () -> throttle.attempt("address 192.0.2.1"));
        }
        clock.advance(Duration.ofSeconds(60));
        assertThrows(TooManyRequestsException.class, () -> throttle.attempt("address 192.0.2.1"),
                "the right password too");
        assertThrows(TooManyRequestsException.class, () -> throttle.attempt("address 192.0.2.1"));

        assertEquals(List.of(
                new LoginThrottle.Lockout("address 192.0.2.1", 1, Duration.ofSeconds(1), true, 0),
                new LoginThrottle.Lockout("address 192.0.2.1", 7, Duration.ofSeconds(64), false, 0),
                new LoginThrottle.Lockout("address 192.0.2.1", 8, Duration.ofSeconds(128), false, 0),
                new LoginThrottle.Lockout("address 192.0.2.1", 8, Duration.ofSeconds(68), false, 6)), told);
    }

    @Test
    void failuresForgottenAfterAnHourHoldUpNoAttemptsUnderWay() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        LoginThrottle throttle = new LoginThrottle(2, Duration.ofHours(1), clock, lockout -> { });
        throttle.attempt("user alice").failed();
        throttle.attempt("user alice").failed();
        clock.advance(Duration.ofHours(2));

        throttle.attempt("user alice");
        throttle.attempt("user alice");

        assertDoesNotThrow(() -> throttle.attempt("user alice"));
    }
}
