package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.federation.PeerMessage;
import io.hanse.api.federation.PeerMessages;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.Database;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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

    private static PeerMessage ask(String id, Instant asked, Instant seen) {
        return new PeerMessage(id, "ber", PeerAcks.ACTION, "db-1", "{\"check\":\"disk\",\"comment\":\"on it\","
                + "\"sticky\":false,\"by\":\"user:alice\",\"asked\":\"" + asked + "\",\"seen\":\"" + seen + "\"}");
    }

    @Test
    void aRequestForACheckThisInstanceDoesNotHaveOrWithAnUnfitCommentIsRefusedNotAFailureOfTheHandler() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("db-1");
            parts.report("db-1", "disk", "critical", Duration.ofMinutes(10));
            PeerAcks acks = new PeerAcks(parts.checks, null, parts.timeline);
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
    void aProblemThatBrokeAgainAfterTheChangeTheAskerSawIsNotAcknowledgedHoweverSoonAfterTheAsk() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("db-1");
            parts.report("db-1", "disk", "critical", Duration.ofMinutes(10));
            Instant seen = parts.checks.get("db-1", "disk").orElseThrow().lastHardChange();
            PeerAcks acks = new PeerAcks(parts.checks, null, parts.timeline);
            // Asked now about the problem of ten minutes ago; it recovers and breaks again a minute later.
            parts.clock.advance(Duration.ofSeconds(30));
            parts.report("db-1", "disk", "ok", Duration.ZERO);
            parts.clock.advance(Duration.ofSeconds(30));
            parts.report("db-1", "disk", "critical", Duration.ZERO);
            acks.receive(ask("m1", NOW, seen));
            assertNull(parts.checks.get("db-1", "disk").orElseThrow().ack(),
                    "another problem than the one seen, though within the clocks' skew of the ask");
            acks.receive(ask("m2", NOW, parts.checks.get("db-1", "disk").orElseThrow().lastHardChange()
                    .truncatedTo(ChronoUnit.MILLIS)));
            assertEquals("peer:ber (user:alice)", parts.checks.get("db-1", "disk").orElseThrow().ack().author(),
                    "the problem seen, told to the millisecond");
        }
    }

    @Test
    void anAskSaysTheLatestHardChangeOfTheCheckItsOwnerToldOfOnTheOwnersClock() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("fra/db");
            Source fra = new Source(Source.Kind.PEER, "fra");
            Instant broke = NOW.minus(Duration.ofMinutes(5)).plusNanos(1_234_567);
            parts.timeline.append(List.of(
                    new EventDraft("fra:1", "monitoring.state-changed", "fra/db", NOW.minus(Duration.ofHours(1)), fra,
                            "{\"check\":\"disk\",\"status\":\"warning\"}"),
                    new EventDraft("fra:2", "monitoring.state-changed", "fra/db", broke, fra,
                            "{\"check\":\"disk\",\"status\":\"critical\"}"),
                    new EventDraft("fra:3", "monitoring.state-changed", "fra/db", NOW, fra,
                            "{\"check\":\"load\",\"status\":\"critical\"}"),
                    new EventDraft("fra:4", "monitoring.acknowledged", "fra/db", NOW, fra,
                            "{\"check\":\"disk\",\"status\":\"critical\"}")));
            List<String> asked = new ArrayList<>();
            PeerMessages messages = new PeerMessages() {
                @Override
                public String send(String type, String system, String body) {
                    throw new AssertionError("an acknowledgement is asked for, not sent");
                }

                @Override
                public String ask(String action, String system, String body) {
                    asked.add(action + " " + system + " " + body);
                    return "request-" + asked.size();
                }
            };
            PeerAcks acks = new PeerAcks(parts.checks, messages, parts.timeline);
            TestCaller alice = TestCaller.everywhere("alice");
            acks.ask(alice, "fra/db", "disk", "on it", false, null);
            acks.ask(alice, "fra/db", "backup", "on it", false, null);
            assertTrue(asked.get(0).startsWith("monitoring.ack fra/db {\"check\":\"disk\""), asked.get(0));
            assertTrue(asked.get(0).endsWith(",\"seen\":\"" + broke.truncatedTo(ChronoUnit.MILLIS) + "\"}"),
                    asked.get(0));
            assertFalse(asked.get(1).contains("seen"), "no hard change of the check told: " + asked.get(1));
        }
    }

    @Test
    void anAskerThatCannotBeShownInFullIsLeftOutOfTheAuthor() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("db-1");
            parts.report("db-1", "disk", "critical", Duration.ofMinutes(10));
            new PeerAcks(parts.checks, null, parts.timeline).receive(ask("m1", NOW, "u".repeat(200) + ":alice"));
            assertEquals("peer:ber", parts.checks.get("db-1", "disk").orElseThrow().ack().author());
        }
    }

    @Test
    void aMessageDeliveredAgainOrAboutAProblemThatChangedSinceAcknowledgesNothing() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("db-1");
            parts.report("db-1", "disk", "critical", Duration.ofMinutes(10));
            // Only receiving is tried here; asking goes through the kernel's federation.
            PeerAcks acks = new PeerAcks(parts.checks, null, parts.timeline);
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
