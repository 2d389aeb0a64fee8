package io.hanse.kernel.security.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.TooManyRequestsException;
import io.hanse.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
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
