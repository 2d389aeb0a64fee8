package io.hanse.monitoring.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.security.Caller;
import io.hanse.api.shell.ShellText;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemListener;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.EventDraft;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The review workflow: a review is a named, recurring pass over the problems of a scope. Starting
 * a pass sorts every problem in scope into new since the pass before, still open, flapping,
 * chronic (broken most of the review's period, such as the last 7 days of a weekly review) and
 * resolved since; reviewers mark the items and leave
 * notes, and closing the pass stores the outcome, puts it on the timeline, and makes it what the
 * next pass starts from. Reviews and their passes' items follow their systems (see {@link Follow})
 * as the kernel tells of changes, and all of them when the plugin starts, for what changed while it
 * was stopped.
 */
@Component(service = {Reviews.class, SystemListener.class})
public final class Reviews implements SystemListener {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    /** How many days after its last pass a review is due when its definition does not say. */
    static final int EVERY_DAYS = 7;
    static final int MAX_NOTE = 1000;
    static final int MAX_OUTCOME = 2000;
    /** The most passes a page of them holds. */
    static final int MAX_PASSES = 100;
    /** The status of an item whose check was removed since the pass before. */
    static final String REMOVED = "removed";
    private static final Comparator<Review.Item> ORDER = Comparator.comparing(Review.Item::group)
            .thenComparing(Review.Item::system).thenComparing(Review.Item::check);

    private final ReviewStore store;
    private final Checks checks;
    private final Histories histories;
    private final Views views;
    private final SystemService systems;
    private final Outbox outbox;
    private final Clock clock;

    @Activate
    public Reviews(@Reference MonitoringDatabase database, @Reference Checks checks, @Reference Histories histories,
            @Reference Views views, @Reference SystemService systems, @Reference Outbox outbox) {
        this(new ReviewStore(database.sql()), checks, histories, views, systems, outbox, Sql.CLOCK);
    }

    Reviews(ReviewStore store, Checks checks, Histories histories, Views views, SystemService systems,
            Outbox outbox, Clock clock) {
        this.store = store;
        this.checks = checks;
        this.histories = histories;
        this.views = views;
        this.systems = systems;
        this.outbox = outbox;
        this.clock = clock;
        followAll();
    }

    /**
     * When a review is due, as asked for: every so many days after its last pass started, or at the
     * times of a schedule in a time zone; not both.
     *
     * @param everyDays 1 to 366; {@code null} for a schedule, or, defining a review, for every
     *     {@value #EVERY_DAYS} days when there is no schedule either
     * @param schedule a {@link Schedule} spec, such as {@code weekly mon 10:00}; {@code null} for every
     *     so many days
     * @param zone the schedule's time zone, such as {@code Europe/Berlin}; {@code null} for UTC
     * @param names what the caller calls these, which errors name
     */
    public record Due(Integer everyDays, String schedule, String zone, Names names) {

        /** When a review is due, as REST's fields say it. */
        public Due(Integer everyDays, String schedule, String zone) {
            this(everyDays, schedule, zone, Names.FIELDS);
        }
    }

    /** The names of {@link Due}'s values where they were given: REST's fields, or a shell command's options. */
    public record Names(String everyDays, String schedule, String zone) {

        public static final Names FIELDS = new Names("everyDays", "schedule", "zone");
    }

    /**
     * Defines a review of an aggregate and its members, or of the systems a selector chooses.
     *
     * @throws InvalidRequestException if the name is malformed, the scope is not exactly one of
     *     system and selector, the system is a federated peer's (its checks are watched and reviewed
     *     there), or when it is due is refused as {@link #schedule(Caller, String, Due)}
     *     refuses it; given neither everyDays nor a schedule, it is due every {@value #EVERY_DAYS} days
     * @throws ConflictException if a review has this name
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:review} on the system, or
     *     everywhere for a selector
     */
    public Review define(Caller caller, String name, String system, String selector, Due due) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("name: 1 to 100 lower-case letters, digits and . _ - starting with a"
                    + " letter or digit, such as weekly-customer-x");
        }
        boolean bySystem = system != null && !system.isBlank();
        boolean bySelector = selector != null && !selector.isBlank();
        if (bySystem == bySelector) {
            throw new InvalidRequestException("a review's scope is a system (with its members) or a selector: give"
                    + " exactly one");
        }
        Schedule schedule = schedule(due);
        Integer everyDays = schedule == null
                ? everyDays(due.names().everyDays(), due.everyDays() == null ? EVERY_DAYS : due.everyDays()) : null;
        UUID systemId = null;
        if (bySystem) {
            caller.require(MonitoringPermissions.REVIEW, system);
            Optional<String> peer = SystemDraft.peer(system);
            if (peer.isPresent() && systems.find(system).isPresent()) {
                throw new InvalidRequestException(system + " is " + peer.get() + "'s, whose checks are watched there:"
                        + " review it on " + peer.get());
            }
            systemId = systems.get(system).id();
        } else {
            caller.require(MonitoringPermissions.REVIEW);
            Selector.parse(selector);
        }
        Review review = new Review(UUID.randomUUID(), name, bySystem ? system : null, systemId,
                bySelector ? selector : null, everyDays, schedule, clock.instant(), ShellText.source(caller.source()));
        synchronized (this) {
            // First, so that what a system deleted a moment ago left under this slug is forgotten, not taken
            // for this review's, should the kernel not have told of it yet.
            follow(bySystem ? List.of(system) : List.of());
            store.insert(review);
        }
        return review;
    }

    /** Returns the reviews the caller may see, with when each is due. */
    public List<Review.View> list(Caller caller) {
        return readable(caller).stream().map(review -> {
            Review.Pass last = last(review);
            return new Review.View(review, last, List.of(), review.due(last));
        }).toList();
    }

    /**
     * Returns the names of the reviews the caller may see, as {@link #list} lists them, read in one
     * statement without their passes.
     */
    public List<String> names(Caller caller) {
        return readable(caller).stream().map(Review::name).toList();
    }

    /** The reviews the caller may see, by name. */
    private List<Review> readable(Caller caller) {
        return store.all().stream().filter(review -> readable(caller, review)).toList();
    }

    /**
     * Returns a review with its latest pass and that pass's items on systems the caller may read.
     *
     * @throws NotFoundException if there is no such review, or the caller may not see it
     */
    public Review.View show(Caller caller, String name) {
        return view(caller, find(caller, name));
    }

    /**
     * Returns a review's passes, newest first: at most {@code limit} of those before the pass numbered
     * {@code before} ({@code null} for the newest), each with how many of its items on systems the caller may read
     * are in each group and have each mark, counted for all of them in one statement, without reading
     * the items.
     *
     * @throws NotFoundException if there is no such review, or the caller may not see it
     * @throws InvalidRequestException if {@code before} is no pass's number (less than 1) or {@code limit}
     *     out of bounds
     */
    public List<Review.PassSummary> passes(Caller caller, String name, Integer before, int limit) {
        if (before != null && before < 1) {
            throw new InvalidRequestException("before: the number of a pass, counted from 1, not " + before);
        }
        if (limit < 1 || limit > MAX_PASSES) {
            throw new InvalidRequestException("limit: between 1 and " + MAX_PASSES + ", not " + limit);
        }
        Review review = find(caller, name);
        return store.passes(review.id(), before == null ? Integer.MAX_VALUE : before, limit).entrySet().stream()
                .map(pass -> new Review.PassSummary(pass.getKey(), Review.Counts.tally(pass.getValue().stream()
                        .filter(tally -> readable(caller, tally.system())).toList())))
                .toList();
    }

    /**
     * Returns one pass of a review, in progress or closed, with its items on systems the caller may
     * read, as {@link #show} does the latest.
     *
     * @throws NotFoundException if there is no such review or pass, or the caller may not see the review
     */
    public Review.PassView pass(Caller caller, String name, int number) {
        Review review = find(caller, name);
        Review.Pass pass = store.pass(review.id(), number)
                .orElseThrow(() -> new NotFoundException("review " + Messages.quote(name) + " has no pass " + number));
        return new Review.PassView(pass, visible(caller, store.items(pass.id())));
    }

    /** A review with its latest pass and that pass's items on systems the caller may read. */
    private Review.View view(Caller caller, Review review) {
        Review.Pass last = last(review);
        List<Review.Item> items = last == null ? List.of() : visible(caller, store.items(last.id()));
        return new Review.View(review, last, items, review.due(last));
    }

    /**
     * Changes when a review is due: every so many days after its last pass started, or at the times
     * of a schedule; its latest pass is shown as by {@link #show}.
     *
     * @throws NotFoundException if there is no such review, or the caller may not see it
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:review} on its system, or
     *     everywhere for a selector
     * @throws InvalidRequestException if neither or both of everyDays and a schedule are given, a
     *     zone without a schedule (the change replaces when the review is due as a whole, a schedule
     *     with its zone), everyDays out of bounds, a malformed schedule or zone,
     *     or a schedule without a time in the next {@value Schedule#LOOK_AHEAD_DAYS} days or with two
     *     times in a row more than that apart
     */
    public Review.View schedule(Caller caller, String name, Due due) {
        Review review = find(caller, name);
        requireReview(caller, review);
        Names names = due.names();
        if (due.everyDays() == null && blank(due.schedule()) && !blank(due.zone())) {
            String schedule = review.schedule() == null ? "weekly mon 10:00" : review.schedule().spec();
            throw new InvalidRequestException(names.zone() + " is the time zone of a schedule and comes with it: a"
                    + " change of when a review is due replaces it as a whole, so give the schedule with its zone, such"
                    + " as " + names.schedule() + " '" + schedule + "' in " + names.zone() + " " + due.zone());
        }
        Schedule schedule = schedule(due);
        if (schedule == null && due.everyDays() == null) {
            throw new InvalidRequestException(names.everyDays() + " or " + names.schedule() + " is required: how"
                    + " many days after its last pass the review is due, or the times it is due at, such as weekly mon"
                    + " 10:00");
        }
        Integer everyDays = schedule == null ? everyDays(names.everyDays(), due.everyDays()) : null;
        if (!store.schedule(review.id(), everyDays, schedule)) {
            throw noReview(name);
        }
        return view(caller, new Review(review.id(), review.name(), review.system(), review.systemId(),
                review.selector(), everyDays, schedule, review.created(), review.createdBy()));
    }

    /**
     * Reads the schedule of when a review is due; {@code null} if it is due every so many days.
     *
     * @throws InvalidRequestException if everyDays is given too, or a zone without a schedule, if
     *     the schedule or zone is malformed, or if the schedule has no time in the next
     *     {@value Schedule#LOOK_AHEAD_DAYS} days or two times in a row can be more than that apart:
     *     the review would never be due, or not after some pass
     */
    private Schedule schedule(Due due) {
        Names names = due.names();
        if (blank(due.schedule())) {
            if (!blank(due.zone())) {
                throw new InvalidRequestException(names.zone() + " is the time zone of a schedule; a review due every"
                        + " so many days has none");
            }
            return null;
        }
        if (due.everyDays() != null) {
            throw new InvalidRequestException("give " + names.everyDays() + " or " + names.schedule() + ", not both:"
                    + " a review is due every so many days after its last pass or at the times of its schedule");
        }
        Schedule schedule = Schedule.parse(names.schedule(), due.schedule(), Schedule.zone(names.zone(), due.zone()));
        if (schedule.next(clock.instant()).isEmpty()) {
            throw new InvalidRequestException(names.schedule() + ": " + schedule + " has no time in the next "
                    + Schedule.LOOK_AHEAD_DAYS + " days; the review would never be due");
        }
        if (schedule.farApart()) {
            throw new InvalidRequestException(names.schedule() + ": " + schedule + " has times more than "
                    + Schedule.LOOK_AHEAD_DAYS + " days apart, which the review would not be due at after a pass;"
                    + " a schedule needs a time in every " + Schedule.LOOK_AHEAD_DAYS + " days");
        }
        return schedule;
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    /**
     * Removes a review with its passes and their items. Their events stay on the timeline, with
     * {@code monitoring.review-removed} that says who removed it, about the review's system or, for
     * a selector's review, about each system with an item in its last pass (none if it had none).
     *
     * @throws NotFoundException if there is no such review, or the caller may not see it
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:review} on its system, or
     *     everywhere for a selector
     * @throws ConflictException if a pass is in progress: close it first, so no marks are lost
     */
    public Review remove(Caller caller, String name) {
        Review review = find(caller, name);
        requireReview(caller, review);
        Review.Pass last = last(review);
        ObjectNode removed = JsonNodeFactory.instance.objectNode().put("review", review.name())
                .put("reviewId", review.id().toString()).put("by", ShellText.source(caller.source()));
        List<Outbox.Owed> events = events(caller, review, "monitoring:review:" + review.id() + ":removed",
                "monitoring.review-removed", about -> removed, last == null ? List.of() : store.items(last.id()));
        if (!store.delete(review.id(), events)) {
            throw noReview(name);
        }
        outbox.send(events);
        return review;
    }

    /**
     * Starts a pass: sorts the problems in scope against the pass before.
     *
     * @throws ConflictException if a pass is in progress
     */
    public Review.View start(Caller caller, String name) {
        Review review = find(caller, name);
        requireReview(caller, review);
        List<Review.Pass> passes = store.passes(review.id(), 1);
        Review.Pass previous = passes.isEmpty() ? null : passes.get(0);
        if (previous != null && previous.closed() == null) {
            throw new ConflictException("review " + name + " is in progress since " + ShellText.time(previous.started())
                    + "; close it first");
        }
        Map<Histories.Key, Review.Item> before = new HashMap<>();
        if (previous != null) {
            store.items(previous.id()).forEach(item -> before.put(key(item), item));
        }
        Instant now = clock.instant();
        // Chronic is broken most of the review's period, or of the time since the pass before if that was longer.
        Instant periodStart = now.minus(review.period(now));
        if (previous != null && previous.started().isBefore(periodStart)) {
            periodStart = previous.started();
        }
        if (periodStart.isBefore(now.minus(Histories.MAX_RANGE))) {
            periodStart = now.minus(Histories.MAX_RANGE);
        }
        Duration period = Duration.between(periodStart, now);
        // All of the scope, also members the caller may not read: the pass is everyone's, and the next starts from it.
        List<String> scope = views.scope(review.system(), review.selector());
        List<CheckState> inScope = new ArrayList<>();
        scope.forEach(system -> inScope.addAll(checks.of(system)));
        // Only a problem that is not flapping can be chronic, or have broken again since the pass before (which the
        // period holds): the history of those is read, all together, with a break timed ahead of the server's clock.
        Map<Histories.Key, Histories.Availability> availabilities = histories.availabilities(inScope.stream()
                .filter(state -> problem(state) && !state.flappingNow()).toList(), periodStart,
                now.plus(Histories.AHEAD));
        List<Review.Item> items = new ArrayList<>();
        for (CheckState state : inScope) {
            Histories.Key key = Histories.Key.of(state);
            // The pass before's item for the slug only if it was about this system, not one deleted since.
            Review.Item earlier = Optional.ofNullable(before.get(key))
                    .filter(item -> Objects.equals(item.systemId(), state.systemId())).orElse(null);
            Histories.Availability availability = availabilities.get(key);
            Review.Group group = group(state, previous == null, earlier,
                    availability != null && availability.brokenMostOf(period),
                    previous != null && brokeAgain(state, availability, previous.started()));
            if (group != null) {
                // What was made of the problem before goes on with it; a new one starts unmarked.
                Review.Item carried = group == Review.Group.NEW ? null : earlier;
                items.add(new Review.Item(state.system(), state.systemId(), state.check(), group, state.shown(),
                        carried == null ? null : carried.verdict(), carried == null ? null : carried.verdictNote(),
                        null, null, null, null));
            }
        }
        items.addAll(removedSince(review, before.values(), scope));
        Review.Pass pass = new Review.Pass(UUID.randomUUID(), review.id(), previous == null ? 1 : previous.number() + 1,
                now, ShellText.source(caller.source()), null, null, null);
        List<Outbox.Owed> events = events(caller, review, pass, items, "started");
        synchronized (this) {
            // As for a review defined: the items are the systems' in scope now, not those of one deleted.
            follow(scope);
            if (!store.start(pass, items, events)) {
                throw new ConflictException("review " + name + " was started by someone else just now");
            }
        }
        outbox.send(events);
        return new Review.View(review, pass, visible(caller, items), review.due(pass));
    }

    /**
     * Marks an item of the pass in progress and notes what reviewers think of it, both as given: no
     * mark ({@code null} or {@value Review.Mark#NONE}) clears its mark, and no note its note. An item
     * without a mark of its own carries on the mark and note of the passes before, a note of its own
     * staying with this pass.
     *
     * @throws ConflictException if no pass is in progress, or it was closed a moment ago
     * @throws NotFoundException if the pass has no such item on a system the caller may read
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:review} on the item's system
     * @throws InvalidRequestException if the mark is unknown or the note too long
     */
    public Review.Item mark(Caller caller, String name, String system, String check, String mark, String note) {
        Review review = find(caller, name);
        requireReview(caller, review);
        Review.Mark marked = Review.Mark.ofLabel(mark);
        if (note != null && note.length() > MAX_NOTE) {
            throw new InvalidRequestException("note is at most " + MAX_NOTE + " characters, not " + note.length());
        }
        Review.Pass pass = inProgress(review);
        Supplier<NotFoundException> noItem = () -> new NotFoundException("review " + Messages.quote(name)
                + " has no item " + Messages.quote(system + "/" + check));
        if (!caller.may(MonitoringPermissions.READ, system)) {
            throw noItem.get();
        }
        caller.require(MonitoringPermissions.REVIEW, system);
        return store.mark(pass.id(), system, check, marked, note == null || note.isBlank() ? null : note.strip(),
                ShellText.source(caller.source()), clock.instant()).orElseThrow(noItem);
    }

    /**
     * Closes the pass in progress with its outcome, which concludes every item in it: only whoever may
     * review each system with an item may close it, not one who may review an aggregate but not all its
     * members (bound without them). Which system is missing is not said: the caller may not even see it.
     *
     * @throws ConflictException if no pass is in progress
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:review} on the review's system and
     *     on each system with an item in the pass
     */
    public Review.View close(Caller caller, String name, String outcome) {
        Review review = find(caller, name);
        requireReview(caller, review);
        if (outcome == null || outcome.isBlank()) {
            throw new InvalidRequestException("outcome is required: what the review concluded, in at most "
                    + MAX_OUTCOME + " characters");
        }
        if (outcome.length() > MAX_OUTCOME) {
            throw new InvalidRequestException("outcome is at most " + MAX_OUTCOME + " characters, not "
                    + outcome.length());
        }
        Review.Pass pass = inProgress(review);
        if (review.system() != null && !store.items(pass.id()).stream()
                .allMatch(item -> caller.may(MonitoringPermissions.REVIEW, item.system()))) {
            throw new ForbiddenException("missing permission " + MonitoringPermissions.REVIEW + " on every system"
                    + " with an item in review " + name + "'s pass, which closing it concludes");
        }
        Instant now = clock.instant();
        Review.Pass closed = new Review.Pass(pass.id(), pass.review(), pass.number(), pass.started(),
                pass.startedBy(), now, ShellText.source(caller.source()), outcome.strip());
        List<Outbox.Owed> events = new ArrayList<>();
        List<Review.Item> items = store.close(pass.id(), now, closed.closedBy(), closed.outcome(), closing -> {
            events.addAll(events(caller, review, closed, closing, "closed"));
            return events;
        }).orElseThrow(() -> new ConflictException("review " + name + " was closed by someone else just now"));
        outbox.send(events);
        return new Review.View(review, closed, visible(caller, items), review.due(closed));
    }

    /**
     * An item's check as it is now, shown beside the item.
     *
     * @param check the check as the caller sees it in a view: its status now and whether its problem
     *     is acknowledged or in downtime
     * @param record its record, the data behind "always broken or new?"
     */
    public record Now(Views.Item check, Histories.Record record) {
    }

    /**
     * Returns the items' checks as they are now, the records read together in a few statements
     * however many items there are. An item whose check was removed since has none.
     */
    public Map<Review.Item, Now> now(Caller caller, List<Review.Item> items) {
        Map<Review.Item, CheckState> states = new HashMap<>();
        items.forEach(item -> checks.get(item.system(), item.check()).ifPresent(state -> states.put(item, state)));
        Map<Histories.Key, Histories.Record> records = histories.records(List.copyOf(states.values()));
        Map<Review.Item, Now> now = new HashMap<>();
        states.forEach((item, state) -> now.put(item, new Now(views.item(caller, state), records.get(key(item)))));
        return now;
    }

    /**
     * Returns the problems of the pass before whose checks were removed since from systems still in
     * scope (the same systems, not new ones of their slugs), as resolved, with the status
     * {@value #REMOVED}: someone decided the check was no longer wanted, which ends its problem too.
     * A selector's scope holds the systems it matches that have checks; one whose last check was
     * removed is still in it while the selector matches it.
     */
    private List<Review.Item> removedSince(Review review, Collection<Review.Item> before, List<String> scope) {
        Set<String> systemsInScope = Set.copyOf(scope);
        Selector selector = review.selector() == null ? null : Selector.parse(review.selector());
        Predicate<ManagedSystem> inScope = system -> selector != null ? selector.matches(system.labels())
                : systemsInScope.contains(system.slug());
        return before.stream()
                .filter(earlier -> earlier.group() != Review.Group.RESOLVED
                        && checks.get(earlier.system(), earlier.check()).isEmpty()
                        && systems.find(earlier.system()).filter(system -> system.id().equals(earlier.systemId()))
                                .filter(inScope).isPresent())
                .map(earlier -> new Review.Item(earlier.system(), earlier.systemId(), earlier.check(),
                        Review.Group.RESOLVED, REMOVED, earlier.verdict(), earlier.verdictNote(), null, null, null,
                        null))
                .toList();
    }

    /**
     * Sorts a check: a group if it belongs in the pass, {@code null} if it does not. A problem the
     * pass before did not have, or had but that was ok and broke again since, is new, also when
     * chronic: no one has looked at it yet; chronic sets apart of the others those broken most of
     * the period.
     *
     * @param first whether this is the review's first pass
     * @param earlier the pass before's item about the check; {@code null} if it had none
     * @param brokeAgain whether it went from ok to a problem (hard, or stale) since the pass before
     *     started
     */
    private static Review.Group group(CheckState state, boolean first, Review.Item earlier, boolean chronic,
            boolean brokeAgain) {
        if (state.flappingNow()) {
            return Review.Group.FLAPPING;
        }
        if (!problem(state)) {
            return wasProblem(earlier) ? Review.Group.RESOLVED : null;
        }
        if (!first && (!wasProblem(earlier) || brokeAgain && earlier.group() != Review.Group.FLAPPING)) {
            return Review.Group.NEW;
        }
        return chronic ? Review.Group.CHRONIC : first ? Review.Group.NEW : Review.Group.STILL_OPEN;
    }

    /**
     * Whether a problem went from ok to a problem since a time: it broke (hard, from ok), or it is
     * stale and ok by a result that came since. A stale check's hard status is the one its last
     * result left: it was fresh and ok then, and went silent after.
     *
     * @param availability its availability over a range that holds the time; {@code null} if not read
     */
    private static boolean brokeAgain(CheckState state, Histories.Availability availability, Instant since) {
        if (availability != null && availability.breaksSince(since) > 0) {
            return true;
        }
        // When the result came by this node's clock, if it took it since it started: an agent's clock may be behind.
        Instant came = state.received() != null && state.received().isAfter(state.lastResult()) ? state.received()
                : state.lastResult();
        return state.stale() && state.hardStatus() == CheckStatus.OK && !came.isBefore(since);
    }

    /** Whether the pass before had the check as a problem. */
    private static boolean wasProblem(Review.Item earlier) {
        return earlier != null && earlier.group() != Review.Group.RESOLVED;
    }

    /** Whether a review goes through the check: a hard problem, or stale. */
    private static boolean problem(CheckState state) {
        return state.stale() || state.hardStatus() != CheckStatus.OK;
    }


    private static Histories.Key key(Review.Item item) {
        return new Histories.Key(item.system(), item.check());
    }

    /**
     * The timeline events of a pass that started or closed: about the review's system, with the counts
     * of all its items and the outcome; or, as a selector has none, about each system with an item,
     * with the counts of that system's items only and no outcome, as its readers may not read the others.
     */
    private List<Outbox.Owed> events(Caller caller, Review review, Review.Pass pass, List<Review.Item> items,
            String what) {
        return events(caller, review, "monitoring:review:" + pass.id() + ":" + what, "monitoring.review-" + what,
                about -> {
                    Review.Counts counts = Review.Counts.of(about);
                    ObjectNode body = JsonNodeFactory.instance.objectNode().put("review", review.name())
                            .put("reviewId", review.id().toString()).put("pass", pass.number())
                            .put("items", about.size());
                    if (review.system() != null && pass.outcome() != null) {
                        body.put("outcome", pass.outcome());
                    }
                    ObjectNode grouped = body.putObject("groups");
                    counts.groups().forEach(grouped::put);
                    if (pass.closed() != null) {
                        ObjectNode marked = body.putObject("marks");
                        counts.marks().forEach(marked::put);
                    }
                    return body;
                }, items);
    }

    /**
     * Events of a review: about its system, or, as a selector has none, about each system with one
     * of these items; each with the id {@code prefix}, a colon and the system.
     *
     * @param body the body of an event about these items: all of them, or those on its system
     */
    private List<Outbox.Owed> events(Caller caller, Review review, String prefix, String type,
            Function<List<Review.Item>, ObjectNode> body, List<Review.Item> items) {
        // The systems it is about, by slug, with their ids and items.
        Map<String, UUID> ids = new LinkedHashMap<>();
        Map<String, List<Review.Item>> about = new LinkedHashMap<>();
        if (review.system() != null) {
            ids.put(review.system(), review.systemId());
            about.put(review.system(), items);
        } else {
            items.forEach(item -> {
                ids.putIfAbsent(item.system(), item.systemId());
                about.computeIfAbsent(item.system(), system -> new ArrayList<>()).add(item);
            });
        }
        List<Outbox.Owed> events = new ArrayList<>();
        // A remote system's slug has a slash, which an event id cannot; no slug has a colon.
        about.forEach((system, its) -> events.add(new Outbox.Owed(new EventDraft(prefix + ":"
                + system.replace('/', ':'), type, system, clock.instant(), caller.source(), body.apply(its).toString()),
                ids.get(system))));
        return events;
    }

    /** The review's latest pass; {@code null} if it never ran. */
    private Review.Pass last(Review review) {
        return store.passes(review.id(), 1).stream().findFirst().orElse(null);
    }

    private Review.Pass inProgress(Review review) {
        return store.passes(review.id(), 1).stream().filter(p -> p.closed() == null).findFirst()
                .orElseThrow(() -> new ConflictException("review " + review.name() + " is not in progress; start it"
                        + " first"));
    }

    private Review find(Caller caller, String name) {
        Optional<Review> found = store.find(name);
        // Should the kernel's word of a change to its system have been lost, it follows now.
        if (found.isPresent() && found.get().system() != null && follow(List.of(found.get().system()))) {
            found = store.find(name);
        }
        return found.filter(review -> readable(caller, review))
                .orElseThrow(() -> noReview(name));
    }

    /** Follows the kernel's systems as they change, as {@link #follow(Collection)} says. */
    @Override
    public void event(SystemEvent event) {
        if (event.type() != SystemEvent.Type.MEMBERS_CHANGED) {
            follow(Follow.concerned(event));
        }
    }

    /**
     * Makes reviews and their passes' items kept under these slugs, with the ids of the systems they
     * are kept for, follow their systems (see {@link Follow}): moved to the slug the system has now
     * or, when it is gone, forgotten, as its checks' history is: a review of it with its passes, and
     * the items of its checks in other reviews' passes. Returns whether any moved or were forgotten.
     */
    private synchronized boolean follow(Collection<String> slugs) {
        return follow(store.kept(slugs));
    }

    /** Makes all reviews and their passes' items follow their systems, as {@link #follow(Collection)}. */
    private synchronized void followAll() {
        follow(store.kept());
    }

    private boolean follow(Map<String, UUID> kept) {
        Follow plan = Follow.of(kept.keySet(), kept::get, systems);
        if (!plan.isEmpty()) {
            store.follow(plan);
        }
        return !plan.isEmpty();
    }

    /** Whether the caller sees a review: a system's if it may read the system, a selector's if it may read all. */
    private static boolean readable(Caller caller, Review review) {
        return review.system() != null ? caller.may(MonitoringPermissions.READ, review.system())
                : caller.mayEverywhere(MonitoringPermissions.READ);
    }

    /**
     * Returns a pass's items on the systems the caller may read, in order: whoever may read an
     * aggregate need not read all its members.
     */
    private static List<Review.Item> visible(Caller caller, List<Review.Item> items) {
        return sorted(items.stream().filter(item -> readable(caller, item.system())).toList());
    }

    /** Whether the caller sees a pass's items on this system. */
    private static boolean readable(Caller caller, String system) {
        return caller.may(MonitoringPermissions.READ, system);
    }

    private static NotFoundException noReview(String name) {
        return new NotFoundException("no review " + Messages.quote(name));
    }

    /**
     * Returns how many days after its last pass a review is due, if that is between 1 and 366, or
     * {@code null} for none.
     *
     * @param name the field or shell option that gave it, which the error names
     * @throws InvalidRequestException naming it otherwise
     */
    private static Integer everyDays(String name, Integer everyDays) {
        if (everyDays != null && (everyDays < 1 || everyDays > 366)) {
            throw new InvalidRequestException(name + " is between 1 and 366, not " + everyDays);
        }
        return everyDays;
    }

    private static void requireReview(Caller caller, Review review) {
        if (review.system() != null) {
            caller.require(MonitoringPermissions.REVIEW, review.system());
        } else {
            caller.require(MonitoringPermissions.REVIEW);
        }
    }

    private static List<Review.Item> sorted(List<Review.Item> items) {
        return items.stream().sorted(ORDER).toList();
    }
}
