package io.hanse.monitoring.rest;

import io.hanse.monitoring.internal.Histories;
import io.hanse.monitoring.internal.Review;
import io.hanse.monitoring.internal.Reviews;
import io.hanse.monitoring.internal.Schedule;
import io.hanse.monitoring.internal.Views;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reviews as REST and {@code --json} show them. */
public final class ReviewDtos {

    private ReviewDtos() {
    }

    /**
     * A review with where it stands; shown alone, with its latest pass's items too.
     *
     * @param everyDays how many days after its last pass it is due; {@code null} for a schedule
     * @param schedule the times it is due at, such as {@code weekly mon 10:00}; {@code null} for every so many days
     * @param zone the schedule's time zone, such as {@code Europe/Berlin}; {@code null} for every so many days
     * @param due when the next pass is due; {@code null} if the schedule has no time within a year
     * @param items the latest pass's items the caller may read; {@code null} in a list of reviews
     */
    public record ReviewDto(String name, String system, String selector, Integer everyDays, String schedule,
            String zone, Instant due, boolean overdue, boolean inProgress, PassDto last, List<ItemDto> items) {

        /** A review as a list of reviews shows it, without items. */
        public static ReviewDto of(Review.View view) {
            return withItems(view, null);
        }

        /** A review shown alone, with its latest pass's items, each with its check as it is now. */
        public static ReviewDto of(Review.View view, Function<Review.Item, Reviews.Now> now) {
            return withItems(view, view.items().stream().map(item -> ItemDto.of(item, now.apply(item))).toList());
        }

        private static ReviewDto withItems(Review.View view, List<ItemDto> items) {
            Review review = view.review();
            Schedule schedule = review.schedule();
            return new ReviewDto(review.name(), review.system(), review.selector(), review.everyDays(),
                    schedule == null ? null : schedule.spec(), schedule == null ? null : schedule.zone().getId(),
                    view.due(), view.overdue(Instant.now()), view.inProgress(), PassDto.of(view.last()), items);
        }
    }

    /**
     * One pass of a review; in a list of passes with how many of its items the caller may read are
     * in each group and have each mark, and shown alone with those items too.
     */
    public record PassDto(int number, Instant started, String startedBy, Instant closed, String closedBy,
            String outcome, Map<String, Integer> groups, Map<String, Integer> marks, List<ItemDto> items) {

        static PassDto of(Review.Pass pass) {
            return pass == null ? null : of(pass, null, null);
        }

        /** A pass with its counts, as a list of passes shows it. */
        public static PassDto of(Review.PassSummary summary) {
            return of(summary.pass(), summary.counts(), null);
        }

        /** A pass with its counts and items, each with its check as it is now. */
        public static PassDto of(Review.PassView view, Function<Review.Item, Reviews.Now> now) {
            return of(view.pass(), view.counts(), view.items().stream().map(item -> ItemDto.of(item, now.apply(item)))
                    .toList());
        }

        private static PassDto of(Review.Pass pass, Review.Counts counts, List<ItemDto> items) {
            return new PassDto(pass.number(), pass.started(), pass.startedBy(), pass.closed(), pass.closedBy(),
                    pass.outcome(), counts == null ? null : counts.groups(), counts == null ? null : counts.marks(),
                    items);
        }
    }

    /**
     * A page of a review's passes, newest first.
     *
     * @param next the {@code before} that asks for the page after this one; {@code null} on the last
     */
    public record PassPageDto(List<PassDto> passes, Integer next) {

        /** The page these passes make when at most {@code limit} were asked for. */
        public static PassPageDto of(List<Review.PassSummary> passes, int limit) {
            int last = passes.isEmpty() ? 0 : passes.get(passes.size() - 1).pass().number();
            return new PassPageDto(passes.stream().map(PassDto::of).toList(),
                    passes.size() == limit && last > 1 ? last : null);
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
