package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReviewTest {

    private static final Instant CREATED = Instant.parse("2026-11-30T09:00:00Z");
    private final Review weekly = new Review(UUID.randomUUID(), "weekly-shop", "shop", UUID.randomUUID(), null, 7,
            CREATED, "user:alice");

    @Test
    void aReviewThatNeverRanIsDueAPeriodAfterItWasDefined() {
        Review.View view = new Review.View(weekly, null, List.of(), weekly.due(null));
        assertEquals(Instant.parse("2026-12-07T09:00:00Z"), view.due());
        assertFalse(view.overdue(Instant.parse("2026-12-07T09:00:00Z")));
        assertTrue(view.overdue(Instant.parse("2026-12-07T09:00:01Z")));
    }

    @Test
    void thePeriodCountsFromTheLastPassesStartAndAPassInProgressPastItIsOverdueToo() {
        Review.Pass open = new Review.Pass(UUID.randomUUID(), weekly.id(), 3, Instant.parse("2026-12-01T10:00:00Z"),
                "user:alice", null, null, null);
        Review.View inProgress = new Review.View(weekly, open, List.of(), weekly.due(open));
        assertEquals(Instant.parse("2026-12-08T10:00:00Z"), inProgress.due());
        assertTrue(inProgress.inProgress());
        assertFalse(inProgress.overdue(Instant.parse("2026-12-08T10:00:00Z")));
        assertTrue(inProgress.overdue(Instant.parse("2026-12-20T00:00:00Z")), "left unclosed past the next's due");
        Review.Pass closed = new Review.Pass(open.id(), weekly.id(), 3, open.started(), "user:alice",
                Instant.parse("2026-12-01T11:00:00Z"), "user:bob", "all fine");
        assertTrue(new Review.View(weekly, closed, List.of(), weekly.due(closed))
                .overdue(Instant.parse("2026-12-20T00:00:00Z")));
    }

    @Test
    void marksAreReadByTheirLabels() {
        assertEquals(Review.Mark.ACTION_NEEDED, Review.Mark.ofLabel("action-needed"));
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> Review.Mark.ofLabel("ignored"));
        assertTrue(refused.getMessage().contains("looked-at"));
        assertEquals(null, Review.Mark.ofLabel("none"), "no mark, which clears one");
        assertEquals(null, Review.Mark.ofLabel(null));
    }

    @Test
    void aPassCountsItsItemsByGroupAndMarkInTheirOrder() {
        List<Review.Item> items = List.of(item(Review.Group.CHRONIC, null), item(Review.Group.NEW, Review.Mark.NOISE),
                item(Review.Group.NEW, null), item(Review.Group.RESOLVED, Review.Mark.LOOKED_AT));
        Review.Counts counts = new Review.PassView(null, items).counts();
        assertEquals(List.of("new=2", "chronic=1", "resolved=1"), counts.groups().entrySet().stream()
                .map(Object::toString).toList());
        assertEquals(List.of("looked-at=1", "noise=1", "unmarked=2"), counts.marks().entrySet().stream()
                .map(Object::toString).toList());
        assertEquals(Map.of(), Review.Counts.of(List.of()).groups());
    }

    private static Review.Item item(Review.Group group, Review.Mark mark) {
        return new Review.Item("web-1", UUID.randomUUID(), "disk", group, "critical", null, null, mark, null,
                mark == null ? null : "user:alice", mark == null ? null : CREATED);
    }
}
