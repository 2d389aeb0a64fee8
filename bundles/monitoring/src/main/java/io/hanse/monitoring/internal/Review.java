package io.hanse.monitoring.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A named, recurring pass over the problems of a scope, such as "weekly review of customer X".
 *
 * @param id its identity
 * @param name its name, unique in the instance
 * @param system the aggregate whose members, with it, are in scope; {@code null} for a selector
 * @param systemId the aggregate's id, which the review follows when its slug changes; {@code null} for a selector
 * @param selector the selector that chooses the systems in scope; {@code null} for a system
 * @param everyDays how many days after its last pass started it is due, 1 to 366; {@code null} for a schedule
 * @param schedule the times it is due at; {@code null} for every so many days
 * @param created when it was defined
 * @param createdBy who defined it
 */
public record Review(UUID id, String name, String system, UUID systemId, String selector, Integer everyDays,
        Schedule schedule, Instant created, String createdBy) {

    /** How long before a due time of its schedule a pass may start at most and count for it (see {@link #due}). */
    static final Duration EARLY = Duration.ofDays(1);

    /**
     * @throws IllegalArgumentException unless it is due either every so many days or by a schedule
     */
    public Review {
        if ((everyDays == null) == (schedule == null)) {
            throw new IllegalArgumentException("a review is due every so many days or by a schedule, not "
                    + everyDays + " and " + schedule);
        }
    }

    /** How a problem stands since the review before. */
    public enum Group {
        /**
         * A problem now that the review before did not have, or had but that was ok and broke again
         * since (unless it had it as flapping, which broke all the time).
         */
        NEW,
        /** A problem the review before had too, and that was not ok since. */
        STILL_OPEN,
        /** Changing status so often that it is flapping, and not stale. */
        FLAPPING,
        /**
         * A problem that would be still open (or new, in a review's first pass), broken most of the
         * review's {@link Review#period}, or of the time since the review before if that was longer.
         */
        CHRONIC,
        /** A problem the review before had that is ok now. */
        RESOLVED;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What reviewers made of an item; {@value #NONE} for none, which clears a mark. */
    public enum Mark {
        LOOKED_AT,
        /** Something must be done: later, a ticket. */
        ACTION_NEEDED,
        /** Known and accepted as it is. */
        ACCEPTED,
        /** Not a real problem: the check needs adjusting. */
        NOISE;

        /** The label that stands for no mark. */
        public static final String NONE = "none";

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * Returns the mark with this label; {@code null} for {@value #NONE} or no label.
         *
         * @throws InvalidRequestException if there is no such mark
         */
        public static Mark ofLabel(String label) {
            if (label == null || label.equals(NONE)) {
                return null;
            }
            for (Mark mark : values()) {
                if (mark.label().equals(label)) {
                    return mark;
                }
            }
            throw new InvalidRequestException("mark is looked-at, action-needed, accepted, noise or none (no mark),"
                    + " not " + Messages.quote(label));
        }
    }

    /**
     * One pass of a review.
     *
     * @param number counts from 1 per review
     * @param closed when it was closed; {@code null} while it is in progress
     * @param outcome what the reviewers concluded, given at close
     */
    public record Pass(UUID id, UUID review, int number, Instant started, String startedBy, Instant closed,
            String closedBy, String outcome) {
    }

    /**
     * One problem a pass goes through.
     *
     * @param systemId the id of the check's system, which the item follows when its slug changes
     * @param status the check's status when the pass started
     * @param previousMark the latest mark of the same problem in the passes before (see {@link #verdict});
     *     {@code null} if it is new or was never marked
     * @param mark what this pass made of it; {@code null} until marked, or once its mark is cleared
     * @param note what a reviewer noted of it in this pass, with its mark or without one
     * @param markedBy who marked it or noted it last; {@code null} when it has neither a mark nor a note
     */
    public record Item(String system, UUID systemId, String check, Group group, String status, Mark previousMark,
            String previousNote, Mark mark, String note, String markedBy, Instant marked) {

        /** The latest mark of the problem: this pass's, else the one it carried from the passes before. */
        public Mark verdict() {
            return mark != null ? mark : previousMark;
        }

        /** The note that goes with {@link #verdict}. */
        public String verdictNote() {
            return mark != null ? note : previousNote;
        }
    }

    /**
     * One pass with its items, such as those on systems a caller may read.
     *
     * @param items its items, in the order a pass shows them
     */
    public record PassView(Pass pass, List<Item> items) {

        /** Returns how many of its items are in each group and have each mark. */
        public Counts counts() {
            return Counts.of(items);
        }
    }

    /**
     * One pass with how many of its items, such as those on systems a caller may read, are in each
     * group and have each mark: a pass as a list of passes shows it, without its items.
     */
    public record PassSummary(Pass pass, Counts counts) {
    }

    /**
     * How many items of a pass on one system are in a group and have a mark: what the store counts
     * of a pass's items without reading them.
     *
     * @param mark {@code null} for the unmarked
     */
    public record Tally(String system, Group group, Mark mark, int count) {
    }

    /**
     * How many items of a pass are in each group and have each mark.
     *
     * @param groups by group label, in the groups' order; only groups with items
     * @param marks by mark label, in the marks' order, then {@code unmarked}; only marks with items
     */
    public record Counts(Map<String, Integer> groups, Map<String, Integer> marks) {

        public static Counts of(Collection<Item> items) {
            return tally(items.stream().map(item -> new Tally(item.system(), item.group(), item.mark(), 1)).toList());
        }

        /** Returns the counts these tallies of a pass's items add up to. */
        public static Counts tally(Collection<Tally> tallies) {
            Map<String, Integer> groups = new LinkedHashMap<>();
            for (Group group : Group.values()) {
                count(groups, group.label(), tallies.stream().filter(tally -> tally.group() == group));
            }
            Map<String, Integer> marks = new LinkedHashMap<>();
            for (Mark mark : Mark.values()) {
                count(marks, mark.label(), tallies.stream().filter(tally -> tally.mark() == mark));
            }
            count(marks, "unmarked", tallies.stream().filter(tally -> tally.mark() == null));
            return new Counts(groups, marks);
        }

        private static void count(Map<String, Integer> counts, String label, Stream<Tally> tallies) {
            int count = tallies.mapToInt(Tally::count).sum();
            if (count > 0) {
                counts.put(label, count);
            }
        }
    }

    /**
     * A review with where it stands.
     *
     * @param last its latest pass, in progress or closed; {@code null} if it never ran
     * @param items the latest pass's items
     * @param due when the next pass is due; {@code null} if its schedule has no time in the
     *     {@value Schedule#LOOK_AHEAD_DAYS} days after the latest pass started
     */
    public record View(Review review, Pass last, List<Item> items, Instant due) {

        /**
         * Returns whether the next pass is past due: none started since it was due, or the one in
         * progress is still unclosed then.
         */
        public boolean overdue(Instant now) {
            return due != null && now.isAfter(due);
        }

        public boolean inProgress() {
            return last != null && last.closed() == null;
        }
    }

    /**
     * Returns when a review whose latest pass started then (or that never ran) is due next:
     * {@code everyDays} after that start (or after it was defined), or at the first time of its
     * schedule after it; {@code null} if the schedule has none in the {@value Schedule#LOOK_AHEAD_DAYS}
     * days after. A pass counts for a due time of the schedule it started shortly before, by up to
     * {@link #EARLY} or half the {@link #period} at its start if that is shorter: started at 09:58 on
     * a Monday, it makes a review due {@code weekly mon 10:00} next due a week later, not two minutes.
     */
    public Instant due(Pass last) {
        if (schedule == null) {
            return (last == null ? created : last.started()).plus(Duration.ofDays(everyDays));
        }
        if (last == null) {
            return schedule.next(created).orElse(null);
        }
        Duration half = period(last.started()).dividedBy(2);
        Duration early = half.compareTo(EARLY) < 0 ? half : EARLY;
        return schedule.next(last.started().plus(early)).orElse(null);
    }

    /**
     * Returns the review's period at a time, such as when a pass starts: {@code everyDays}, or the
     * time between the due times of its schedule around it, the last at or before it and the next
     * after it (7 days for {@code weekly mon 10:00}, 3 or 4 for {@code weekly mon,thu 10:00}); for a
     * schedule without both in the {@value Schedule#LOOK_AHEAD_DAYS} days around it, that many days.
     */
    public Duration period(Instant at) {
        if (schedule == null) {
            return Duration.ofDays(everyDays);
        }
        Optional<Instant> last = schedule.last(at);
        Optional<Instant> next = schedule.next(at);
        return last.isPresent() && next.isPresent() ? Duration.between(last.get(), next.get())
                : Duration.ofDays(Schedule.LOOK_AHEAD_DAYS);
    }
}
