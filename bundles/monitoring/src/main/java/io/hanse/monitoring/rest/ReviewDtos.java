package io.hanse.monitoring.rest;

import io.hanse.monitoring.internal.Histories;
import io.hanse.monitoring.internal.Review;
import io.hanse.monitoring.internal.Reviews;
import io.hanse.monitoring.internal.Views;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Reviews as REST and {@code --json} show them. */
public final class ReviewDtos {

    private ReviewDtos() {
    }

    /** A review with where it stands, and its latest pass's items when shown alone. */
    public record ReviewDto(String name, String system, String selector, int everyDays, Instant due, boolean overdue,
            boolean inProgress, PassDto last, List<ItemDto> items) {

        public static ReviewDto of(Review.View view, Function<Review.Item, Reviews.Now> now) {
            Review review = view.review();
            return new ReviewDto(review.name(), review.system(), review.selector(), review.everyDays(), view.due(),
                    view.overdue(Instant.now()), view.inProgress(), PassDto.of(view.last()),
                    view.items().stream().map(item -> ItemDto.of(item, now.apply(item))).toList());
        }
    }

    /** One pass of a review. */
    public record PassDto(int number, Instant started, String startedBy, Instant closed, String closedBy,
            String outcome) {
        static PassDto of(Review.Pass pass) {
            return pass == null ? null : new PassDto(pass.number(), pass.started(), pass.startedBy(), pass.closed(),
                    pass.closedBy(), pass.outcome());
        }
    }

    /**
     * One item of a pass, with its check as it is now: its status, whether its problem is handled, and
     * its record, the data behind "always broken or new?". A removed check has none of these.
     *
     * @param status the check's status when the pass started
     * @param statusNow its status now, or {@code stale}
     */
    public record ItemDto(String system, String check, String group, String status, String previousMark,
            String previousNote, String mark, String note, String markedBy, Instant marked, String statusNow,
            Boolean acknowledged, Boolean inDowntime, Instant firstSeen, Integer breaks7d, Integer breaks30d,
            Double brokenPercent30d) {

        public static ItemDto of(Review.Item item, Reviews.Now now) {
            Views.Item check = now == null ? null : now.check();
            Histories.Record record = now == null ? null : now.record();
            return new ItemDto(item.system(), item.check(), item.group().label(), item.status(),
                    item.previousMark() == null ? null : item.previousMark().label(), item.previousNote(),
                    item.mark() == null ? null : item.mark().label(), item.note(), item.markedBy(), item.marked(),
                    check == null ? null : check.state().shown(), check == null ? null : check.acknowledged(),
                    check == null ? null : check.inDowntime(), record == null ? null : record.firstSeen(),
                    record == null ? null : record.breaks7d(), record == null ? null : record.breaks30d(),
                    record == null ? null : Math.round(record.availability30d().broken() * 10000) / 100.0);
        }
    }
}
