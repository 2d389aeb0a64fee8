package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hanse.api.federation.PeerMessage;
import io.hanse.kernel.store.Database;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A peer's acknowledgements as this instance takes them: once, and only for the problem they were asked about. */
class PeerAcksTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static PeerMessage ask(String id, Instant asked) {
        return ask(id, asked, "user:alice");
    }

    private static PeerMessage ask(String id, Instant asked, String by) {
        return new PeerMessage(id, "ber", PeerAcks.ACTION, "db-1", "{\"check\":\"disk\",\"comment\":\"on it\","
                + "\"sticky\":false,\"by\":\"" + by + "\",\"asked\":\"" + asked + "\"}");
    }

    @Test
    void aRequestForACheckThisInstanceDoesNotHaveOrWithAnUnfitCommentIsRefusedNotAFailureOfTheHandler() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("db-1");
            parts.report("db-1", "disk", "critical", Duration.ofMinutes(10));
            PeerAcks acks = new PeerAcks(parts.checks, null);
            assertDoesNotThrow(() -> acks.receive(new PeerMessage("m1", "ber", PeerAcks.ACTION, "db-1",
                    "{\"check\":\"nocheck\",\"comment\":\"on it\",\"by\":\"user:alice\"}")));
            assertDoesNotThrow(() -> acks.receive(new PeerMessage("m2", "ber", PeerAcks.ACTION, "db-1",
                    "{\"check\":\"disk\",\"comment\":\"" + "x".repeat(Checks.MAX_COMMENT + 1)
                            + "\",\"by\":\"user:alice\"}")));
            assertNull(parts.checks.get("db-1", "disk").orElseThrow().ack(), "refused, and logged as such");
            acks.receive(ask("m3", NOW));
            assertEquals("peer:ber (user:alice)", parts.checks.get("db-1", "disk").orElseThrow().ack().author());
        }
    }

    @Test
    void anAskerThatCannotBeShownInFullIsLeftOutOfTheAuthor() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("db-1");
            parts.report("db-1", "disk", "critical", Duration.ofMinutes(10));
            new PeerAcks(parts.checks, null).receive(ask("m1", NOW, "u".repeat(200) + ":alice"));
            assertEquals("peer:ber", parts.checks.get("db-1", "disk").orElseThrow().ack().author());
        }
    }

    @Test
    void aMessageDeliveredAgainOrAboutAProblemThatChangedSinceAcknowledgesNothing() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("db-1");
            parts.report("db-1", "disk", "critical", Duration.ofMinutes(10));
            // Only receiving is tried here; asking goes through the kernel's federation.
            PeerAcks acks = new PeerAcks(parts.checks, null);
            acks.receive(ask("m1", NOW));
            assertEquals("peer:ber (user:alice)", parts.checks.get("db-1", "disk").orElseThrow().ack().author());

            parts.report("db-1", "disk", "ok", Duration.ZERO);
            parts.clock.advance(Duration.ofHours(3));
            parts.report("db-1", "disk", "critical", Duration.ZERO);
            acks.receive(ask("m1", NOW));
            assertNull(parts.checks.get("db-1", "disk").orElseThrow().ack(), "the same message, delivered again");
            acks.receive(ask("m2", NOW));
            assertNull(parts.checks.get("db-1", "disk").orElseThrow().ack(), "changed since it was asked: refused,"
                    + " which is an answer, not a failure of the handler");
            acks.receive(ask("m3", parts.clock.instant().minus(Duration.ofMinutes(4))));
            assertEquals("peer:ber (user:alice)", parts.checks.get("db-1", "disk").orElseThrow().ack().author(),
                    "asked about this problem, on a clock a little behind");

            parts.clock.advance(Duration.ofMinutes(1));
            acks.receive(ask("m4", parts.clock.instant()));
            assertEquals(parts.clock.instant(), parts.checks.get("db-1", "disk").orElseThrow().ack().time(),
                    "the same asker acknowledges again: renewed, as it cannot remove it from there");
            acks.receive(ask("m5", parts.clock.instant(), "user:bob"));
            assertEquals("peer:ber (user:alice)", parts.checks.get("db-1", "disk").orElseThrow().ack().author(),
                    "another's acknowledgement stays");
        }
    }
}
