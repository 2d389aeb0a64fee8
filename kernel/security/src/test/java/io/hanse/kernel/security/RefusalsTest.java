package io.hanse.kernel.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.testing.MutableClock;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which refusals are written: a clock the test moves, and addresses as keys. */
class RefusalsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

    @Test
    void aRefusalWrittenSaysHowManyWereSuppressedIfAny() {
        assertEquals("", Refusals.suppressed(0));
        assertEquals(" (3 more refused since the last one logged)", Refusals.suppressed(3));
    }

    @Test
    void anIpv6AddressCountsInItsSlash64AndAnyOtherAsItself() {
        assertEquals("2001:db8:1:2:0:0:0:0/64", Refusals.network("2001:db8:1:2:ffff::7"));
        assertEquals("192.0.2.1", Refusals.network("192.0.2.1"));
        assertEquals("::ffff:192.0.2.1", Refusals.network("::ffff:192.0.2.1"), "an IPv4 address written as IPv6");
    }

    @Test
    void atMostSixtyAreWrittenAMinuteOfAllAddressesAndTheRestSaidWithTheirNext() {
        Refusals refusals = new Refusals(clock);
        for (int i = 0; i < Refusals.MAX_WRITTEN; i++) {
            assertEquals(OptionalLong.of(0), refusals.count("address/198.51.100." + i));
        }
        assertEquals(OptionalLong.empty(), refusals.count("address/203.0.113.1"));

        clock.advance(Refusals.INTERVAL);
        assertEquals(OptionalLong.of(1), refusals.count("address/203.0.113.1"));
    }

    @Test
    void beyondTheBoundTheOneRefusedLongestAgoIsForgottenAndWrittenAgain() {
        Refusals refusals = new Refusals(clock);
        refusals.count("address/192.0.2.1");
        assertEquals(OptionalLong.empty(), refusals.count("address/192.0.2.1"));
        for (int i = 1; i <= Refusals.MAX_TRACKED; i++) {
            refusals.count("address/" + i);
        }
        clock.advance(Refusals.INTERVAL);
        assertEquals(OptionalLong.of(0), refusals.count("address/192.0.2.1"), "forgotten, with the one suppressed");
        assertEquals(OptionalLong.of(1), refusals.count("address/" + Refusals.MAX_TRACKED),
                "remembered, with the one suppressed beyond what is written a minute");
    }

}
