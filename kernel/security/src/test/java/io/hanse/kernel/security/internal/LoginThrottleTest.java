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
}
