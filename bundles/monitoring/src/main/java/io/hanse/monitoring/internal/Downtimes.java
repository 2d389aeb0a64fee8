package io.hanse.monitoring.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.security.Caller;
import io.hanse.api.shell.ShellText;
import io.hanse.api.store.FailureLog;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.Timeline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downtimes: scheduled, removed, and which of them covers a check now. Each one's start and end of
 * a window goes on the timeline of its system, as do its scheduling and removal; the timeline is
 * their record, so a downtime that ended is forgotten here. They follow their system when it is
 * renamed and go when it is deleted, also when that happened while the plugin was stopped.
 */
@Component(service = Downtimes.class)
public final class Downtimes {

    /** The longest one-off downtime. */
    static final Duration MAX_LENGTH = Duration.ofDays(366);
    static final int MAX_COMMENT = 1000;
    /** The most downtimes that have not ended: each one is listed whole and judged at every sweep. */
    static final int MAX_DOWNTIMES = 10_000;
    /** The most windows of one downtime told at one sweep, such as after a long stop; the rest follow at the next. */
    static final int MAX_WINDOWS_TOLD = 500;
    private static final Logger LOG = LoggerFactory.getLogger(Downtimes.class);
    private static final Comparator<Downtime> BY_START = Comparator.comparing(Downtime::starts)
            .thenComparing(Downtime::created).thenComparing(Downtime::id);

    /**
     * A downtime to schedule.
     *
     * @param system the system's slug
     * @param check one check, or {@code null} for all of the system's
     * @param members whether it covers the system's members too
     * @param starts when it starts; {@code null} for now
     * @param ends when a one-off one ends (required), or when a recurring one stops applying ({@code null} for never)
     * @param recurrence a recurrence such as {@code weekly sat 02:00-04:00}, or {@code null} for one-off
     * @param zone the time zone of the recurrence, such as {@code Europe/Berlin}; {@code null} for UTC
     * @param comment why
     */
    public record Draft(String system, String check, boolean members, Instant starts, Instant ends, String recurrence,
            String zone, String comment) {
    }

    /**
     * The downtimes by start; the transitive members of each system a downtime covers with its
     * members, worked out at one {@link SystemService#version() version} of the systems; and the
     * downtimes that cover each system, its own and those of its aggregates that cover their
     * members, by start. Replaced whole, so that a reader never sees a downtime without what it covers.
     */
    private record Known(List<Downtime> downtimes, Map<String, Set<String>> members,
            Map<String, List<Downtime>> covering, long version) {
    }

    private final DowntimeStore store;
    private final SystemService systems;
    private final Timeline timeline;
    private final Outbox outbox;
    private final Clock clock;
    /** Says that downtimes' windows cannot be told, as at each sweep while the database is away. */
    private final FailureLog failures;
    /**
     * Held while the downtimes change, in the database and in {@link #known}: one change at a
     * time, each worked out from the one before.
     */
    private final Object lock = new Object();
    private volatile Known known = new Known(List.of(), Map.of(), Map.of(), -1);
    /** Up to when each downtime's windows are on the timeline, as stored: told by the sweep, read by a removal. */
    private final Map<UUID, Instant> announced;
    private volatile Runnable changed = () -> { };
    /** Whether a system has a check by a name, as the checks tell: until they do, any name is taken. */
    private volatile BiPredicate<String, String> knownChecks = (system, check) -> true;

    @Activate
    public Downtimes(@Reference MonitoringDatabase database, @Reference SystemService systems,
            @Reference Timeline timeline, @Reference Outbox outbox) {
        this(new DowntimeStore(database.sql()), systems, timeline, outbox, Sql.CLOCK);
    }

    Downtimes(DowntimeStore store, SystemService systems, Timeline timeline, Outbox outbox, Clock clock) {
        this.store = store;
        this.systems = systems;
        this.timeline = timeline;
        this.outbox = outbox;
        this.clock = clock;
        this.failures = new FailureLog(LOG, "Downtimes' windows are told", clock);
        synchronized (lock) {
            publish(store.all().stream());
        }
        announced = new ConcurrentHashMap<>(store.announced());
        // Systems may have been renamed or deleted while the plugin was stopped, and the kernel told no one.
        follow();
    }

    /** Runs this after each downtime is scheduled or removed, so that what it covers is judged again at once. */
    void whenChanged(Runnable action) {
        changed = action;
    }

    /**
     * Asks this whether a system has a check by a name before a downtime of that check is scheduled: the
     * checks tell it, as they depend on the downtimes and not the other way round.
     */
    void checksFrom(BiPredicate<String, String> known) {
        knownChecks = known;
    }

    /** Returns the downtimes that have not ended, by start. */
    public List<Downtime> list() {
        Instant now = clock.instant();
        return known.downtimes().stream().filter(downtime -> !downtime.over(now)).toList();
    }

    /**
     * Returns the downtimes that have not ended on systems the caller may read, by start: all of them,
     * or those that cover a system (on it, or on an aggregate of it for its members), or one of its checks.
     *
     * @param system {@code null} or blank for every system
     * @param check with {@code system}, only downtimes that cover this check; {@code null} or blank for any
     * @throws io.hanse.api.ForbiddenException if the caller may not read the system, whether it exists or not
     * @throws NotFoundException if the system does not exist, to a caller who may read it, or it has no such
     *     check, nor have its members the caller may read: a downtime of its members may be on it for theirs
     * @throws InvalidRequestException for a check without a system
     */
    public List<Downtime> list(Caller caller, String system, String check) {
        // An empty query parameter (?system=&check=) gives none, as a view's scope takes it.
        boolean bySystem = system != null && !system.isBlank();
        boolean byCheck = check != null && !check.isBlank();
        if (byCheck && !bySystem) {
            throw new InvalidRequestException("check: needs a system");
        }
        if (bySystem) {
            caller.require(MonitoringPermissions.READ, system);
            systems.get(system);
        }
        if (byCheck) {
            List<String> members = systems.transitiveMembers(system).stream()
                    .filter(member -> caller.may(MonitoringPermissions.READ, member)).toList();
            if (!hasCheck(system, check, members)) {
                throw Checks.noCheck(system, check, !members.isEmpty());
            }
        }
        Set<Downtime> covering = bySystem ? Set.copyOf(known.covering().getOrDefault(system, List.of())) : null;
        return list().stream().filter(d -> caller.may(MonitoringPermissions.READ, d.system()))
                .filter(d -> !bySystem || covering.contains(d) && (!byCheck || d.covers(check))).toList();
    }

    /**
     * Returns a downtime, also one that ended moments ago and is not yet forgotten.
     *
     * @throws NotFoundException if there is none with this id on a system the caller may read
     */
    public Downtime get(Caller caller, UUID id) {
        return known.downtimes().stream()
                .filter(d -> d.id().equals(id) && caller.may(MonitoringPermissions.READ, d.system())).findFirst()
                .orElseThrow(() -> noDowntime(id));
    }

    private static NotFoundException noDowntime(UUID id) {
        return new NotFoundException("no downtime " + id);
    }

    /**
     * Returns the downtime that covers the check at this time, if one does; of several, the most
     * specific: one on the system before one on an aggregate of it, one of the check before one of all
     * its checks, then the one that started first.
     */
    public Optional<Downtime> covering(String system, String check, Instant time) {
        return known.covering().getOrDefault(system, List.of()).stream()
                .filter(downtime -> downtime.covers(check) && downtime.windowAt(time).isPresent())
                .min(Comparator.comparing((Downtime d) -> !d.system().equals(system))
                        .thenComparing(d -> d.check() == null).thenComparing(BY_START));
    }

    /**
     * Schedules a downtime.
     *
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:downtime} on the system, and
     *     on each of its members for one that covers them
     * @throws NotFoundException if the system does not exist, or it has no such check (nor, for one that
     *     covers its members, have they): a check is known from its first result on
     * @throws InvalidRequestException naming the field that is wrong, such as an end before the start
     * @throws ConflictException if there are {@value #MAX_DOWNTIMES} downtimes that have not ended
     */
    public Downtime add(Caller caller, Draft draft) {
        if (draft.system() == null || draft.system().isBlank()) {
            throw new InvalidRequestException("system is required");
        }
        caller.require(MonitoringPermissions.DOWNTIME, draft.system());
        Optional<String> peer = SystemDraft.peer(draft.system());
        if (peer.isPresent() && systems.find(draft.system()).isPresent()) {
            throw new InvalidRequestException(draft.system() + " is " + peer.get() + "'s, whose checks are watched"
                    + " there: schedule its downtimes on " + peer.get());
        }
        if (draft.check() != null && !CheckResult.CHECK.matcher(draft.check()).matches()) {
            throw new InvalidRequestException("check: " + CheckResult.CHECK_RULE);
        }
        if (draft.comment() == null || draft.comment().isBlank()) {
            throw new InvalidRequestException("comment is required: why, in at most " + MAX_COMMENT + " characters");
        }
        if (draft.comment().length() > MAX_COMMENT) {
            throw new InvalidRequestException("comment is at most " + MAX_COMMENT + " characters, not "
                    + draft.comment().length());
        }
        Instant now = clock.instant();
        Instant starts = draft.starts() == null ? now : draft.starts();
        Recurrence recurrence = null;
        if (draft.recurrence() != null && !draft.recurrence().isBlank()) {
            recurrence = Recurrence.parse(draft.recurrence(), Schedule.zone("zone", draft.zone()));
        } else if (draft.zone() != null && !draft.zone().isBlank()) {
            throw new InvalidRequestException("zone is the time zone of a recurrence; a one-off downtime has none");
        } else if (draft.ends() == null) {
            throw new InvalidRequestException("ends is required for a downtime that does not recur");
        } else if (Duration.between(starts, draft.ends()).compareTo(MAX_LENGTH) > 0) {
            throw new InvalidRequestException("a one-off downtime lasts at most " + MAX_LENGTH.toDays() + " days");
        }
        if (draft.ends() != null && !draft.ends().isAfter(starts)) {
            throw new InvalidRequestException("ends (" + draft.ends() + ") must be after starts (" + starts + ")");
        }
        if (draft.ends() != null && !draft.ends().isAfter(now)) {
            throw new InvalidRequestException("ends (" + draft.ends() + ") is past: a downtime that ended covers"
                    + " nothing");
        }
        Instant from = starts.isAfter(now) ? starts : now;
        if (recurrence != null && recurrence.windowAt(from).isEmpty() && recurrence.next(from).isEmpty()) {
            throw new InvalidRequestException("recurrence: " + recurrence.spec() + " has no window in the next "
                    + Schedule.LOOK_AHEAD_DAYS + " days; the downtime would never be active");
        }
        Downtime downtime;
        List<Outbox.Owed> events;
        synchronized (lock) {
            // Under the lock: a rename or deletion of the system either refuses this downtime here, or is
            // followed after it is stored, and moves or removes it.
            ManagedSystem system = systems.get(draft.system());
            // Members added later are covered too: whoever adds one may write to it.
            if (draft.members()) {
                requireOnMembers(caller, draft.system());
            }
            if (draft.check() != null && !hasCheck(draft.system(), draft.check(),
                    draft.members() ? systems.transitiveMembers(draft.system()) : List.of())) {
                throw Checks.noCheck(draft.system(), draft.check(), draft.members());
            }
            if (list().size() >= MAX_DOWNTIMES) {
                throw new ConflictException("there are " + MAX_DOWNTIMES + " downtimes that have not ended, as many"
                        + " as Hanse keeps; remove some first");
            }
            // What a system deleted or renamed a moment ago left under this slug is not this one's.
            follow(List.of(draft.system()));
            downtime = new Downtime(UUID.randomUUID(), draft.system(), system.id(), draft.check(), draft.members(),
                    starts, draft.ends(), recurrence, ShellText.source(caller.source()), draft.comment().strip(), now);
            EventDraft scheduled = new EventDraft("monitoring:downtime:" + downtime.id(),
                    "monitoring.downtime-scheduled", downtime.system(), now, caller.source(),
                    body(downtime).toString());
            events = List.of(new Outbox.Owed(scheduled, downtime.systemId()));
            store.insert(downtime, events);
            publish(Stream.concat(known.downtimes().stream(), Stream.of(downtime)));
        }
        outbox.send(events);
        changed.run();
        return downtime;
    }

    /**
     * Removes a downtime.
     *
     * @throws NotFoundException if there is none with this id on a system the caller may read
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:downtime} on its system, or, for
     *     a downtime of its members, on each of them
     */
    public Downtime remove(Caller caller, UUID id) {
        Downtime downtime;
        List<Outbox.Owed> events;
        synchronized (lock) {
            downtime = get(caller, id);
            caller.require(MonitoringPermissions.DOWNTIME, downtime.system());
            // Removing it ends the downtime of every member it covers, as scheduling it began it.
            if (downtime.members()) {
                requireOnMembers(caller, downtime.system());
            }
            Instant now = clock.instant();
            if (downtime.over(now)) {
                throw new ConflictException("downtime " + id + " ended at " + downtime.ends()
                        + "; it is forgotten once its end is on the timeline");
            }
            List<EventDraft> told = new ArrayList<>();
            // A window whose start is on the timeline ends now, so that each -started has its -ended.
            Instant toldUntil = announced.get(id);
            downtime.windowAt(now).filter(window -> toldUntil != null && !window.start().isAfter(toldUntil))
                    .ifPresent(window -> told.add(event(downtime, "ended", window, now)));
            told.add(new EventDraft("monitoring:downtime:" + id + ":removed", "monitoring.downtime-removed",
                    downtime.system(), now, caller.source(), body(downtime).toString()));
            events = told.stream().map(event -> new Outbox.Owed(event, downtime.systemId())).toList();
            if (!store.delete(id, events)) {
                // The sweep forgot it a moment ago, as it had ended.
                throw noDowntime(id);
            }
            publish(known.downtimes().stream().filter(d -> !d.id().equals(id)));
        }
        outbox.send(events);
        changed.run();
        return downtime;
    }

    /**
     * Requires {@code monitoring:downtime} on every member of a system at any depth, all of which a
     * downtime of its members covers. Which member is missing is not said: the caller may not even
     * see it.
     *
     * @throws ForbiddenException if it is missing on any
     */
    private void requireOnMembers(Caller caller, String system) {
        if (!systems.transitiveMembers(system).stream()
                .allMatch(member -> caller.may(MonitoringPermissions.DOWNTIME, member))) {
            throw new ForbiddenException("missing permission " + MonitoringPermissions.DOWNTIME + " on every member"
                    + " of " + system + ", which a downtime of its members covers");
        }
    }

    /**
     * Follows the kernel's systems as they change: a deleted system's downtimes go with it, a renamed
     * one's move, and what each covers is worked out again if the systems changed (a member renamed,
     * added or taken out). {@link Checks} calls it before it follows the change itself, so that the
     * status it tells after that knows what is covered.
     *
     * @return whether what the downtimes cover was worked out again
     */
    boolean follow(SystemEvent event) {
        follow(Follow.concerned(event));
        synchronized (lock) {
            if (known.downtimes().isEmpty() || systems.version() == known.version()) {
                return false;
            }
            publish(known.downtimes().stream());
            return true;
        }
    }

    /** Makes all downtimes follow their systems, which may have changed without the kernel telling. */
    void follow() {
        follow(known.downtimes().stream().map(Downtime::system).toList());
    }

    /**
     * Makes the downtimes on these slugs follow their systems (see {@link Follow}): moved to the slug
     * the system has now, or gone with it.
     */
    private void follow(Collection<String> slugs) {
        synchronized (lock) {
            Map<String, UUID> kept = new HashMap<>();
            known.downtimes().forEach(downtime -> kept.put(downtime.system(), downtime.systemId()));
            Follow plan = Follow.of(slugs, kept::get, systems);
            if (plan.isEmpty()) {
                return;
            }
            store.follow(plan);
            Map<String, String> moves = plan.moves().stream().collect(Collectors.toMap(Follow.Move::from,
                    Follow.Move::to));
            publish(known.downtimes().stream().filter(d -> !plan.forgotten().contains(d.system()))
                    .map(d -> moves.containsKey(d.system()) ? d.onSystem(moves.get(d.system())) : d));
        }
    }

    /**
     * Puts the start and end of each downtime's windows on the timeline as they happen, also those
     * that passed while this node was stopped, and forgets the downtimes that ended once all of
     * theirs are told: the timeline is their record. Each window's start and end has its own event
     * id, so nothing is told twice; what could not be told is tried again at the next sweep, and
     * holds back neither the other downtimes nor the sweep. Called by the sweep.
     */
    void announce(Instant now) {
        if (systems.version() != known.version()) {
            synchronized (lock) {
                publish(known.downtimes().stream());
            }
        }
        Set<UUID> over = new HashSet<>();
        boolean failed = false;
        Known sweeping = known;
        for (Downtime downtime : sweeping.downtimes()) {
            try {
                // Under the lock, and only while it is still there: a downtime removed meanwhile had the
                // end of its open window told, or no start, and must get no start after that.
                synchronized (lock) {
                    Optional<Downtime> current = known == sweeping ? Optional.of(downtime)
                            : known.downtimes().stream().filter(d -> d.id().equals(downtime.id())).findFirst();
                    // As it is now: its system may have been renamed since the sweep began.
                    if (current.isPresent() && announce(current.get(), now) && current.get().over(now)) {
                        store.delete(downtime.id(), List.of());
                        over.add(downtime.id());
                    }
                }
            } catch (RuntimeException e) {
                failed = true;
                failures.failed("Downtime " + downtime.id() + " on " + downtime.system() + ": telling its windows or"
                        + " forgetting it failed, trying again at the next sweep", e);
            }
        }
        if (!failed) {
            failures.worked();
        }
        if (!over.isEmpty()) {
            synchronized (lock) {
                publish(known.downtimes().stream().filter(d -> !over.contains(d.id())));
            }
        }
        // Also forgets the downtimes removed by someone, or with their system.
        announced.keySet().retainAll(known.downtimes().stream().map(Downtime::id).collect(Collectors.toSet()));
    }

    /**
     * Tells the timeline the starts and ends of the downtime's windows since it last did, at most
     * {@value #MAX_WINDOWS_TOLD} windows, and stores up to when it has. The first time, that is
     * since it was scheduled or starts, whichever is later, and the start of a window it was
     * scheduled in. Returns whether all up to now are told.
     */
    private boolean announce(Downtime downtime, Instant now) {
        Instant since = announced.get(downtime.id());
        Instant from = since != null ? since
                : downtime.starts().isAfter(downtime.created()) ? downtime.starts() : downtime.created();
        List<Recurrence.Window> windows = downtime.windows(from, now, MAX_WINDOWS_TOLD + 1);
        boolean all = windows.size() <= MAX_WINDOWS_TOLD;
        List<Recurrence.Window> told = all ? windows : windows.subList(0, MAX_WINDOWS_TOLD);
        List<EventDraft> events = new ArrayList<>();
        for (Recurrence.Window window : told) {
            if (since == null || window.start().isAfter(since)) {
                // Not before it was scheduled: problems before that were problems, and alerted.
                Instant started = window.start().isBefore(downtime.created()) ? downtime.created() : window.start();
                events.add(event(downtime, "started", window, started));
            }
            if (!window.end().isAfter(now)) {
                events.add(event(downtime, "ended", window, window.end()));
            }
        }
        if (events.isEmpty()) {
            return true;
        }
        // Up to now, or to just before the first window not told yet, in whole microseconds as stored;
        // but on, should more windows than are told at once overlap at the time told up to before.
        Instant next = all ? now : windows.get(MAX_WINDOWS_TOLD).start().minus(1, ChronoUnit.MICROS);
        Instant until = (since != null && !next.isAfter(since) ? now : next).truncatedTo(ChronoUnit.MICROS);
        timeline.append(events);
        store.announced(downtime.id(), until);
        announced.put(downtime.id(), until);
        return all;
    }

    /** An event about a window, named by the window: two cut to the downtime's start may start together. */
    private EventDraft event(Downtime downtime, String what, Recurrence.Window window, Instant time) {
        return new EventDraft("monitoring:downtime:" + downtime.id() + ":" + window.start().toEpochMilli() + "-"
                + window.end().toEpochMilli() + ":" + what, "monitoring.downtime-" + what, downtime.system(), time,
                Checks.SOURCE, body(downtime).toString());
    }

    /**
     * Makes these the downtimes, with the members they cover at the systems' current version:
     * worked out again only for systems new to it or when the version changed. Under the lock.
     */
    private void publish(Stream<Downtime> downtimes) {
        Known before = known;
        long version = systems.version();
        List<Downtime> byStart = downtimes.sorted(BY_START).toList();
        Map<String, Set<String>> members = new HashMap<>();
        Map<String, List<Downtime>> covering = new HashMap<>();
        for (Downtime downtime : byStart) {
            covering.computeIfAbsent(downtime.system(), slug -> new ArrayList<>()).add(downtime);
            if (downtime.members()) {
                members.computeIfAbsent(downtime.system(), slug -> version == before.version()
                        && before.members().containsKey(slug) ? before.members().get(slug) : membersOf(slug))
                        .forEach(member -> covering.computeIfAbsent(member, slug -> new ArrayList<>()).add(downtime));
            }
        }
        known = new Known(byStart, members, covering, version);
    }

    /** Returns whether the system has the check, or one of these members of it has. */
    private boolean hasCheck(String system, String check, List<String> members) {
        return knownChecks.test(system, check) || members.stream().anyMatch(member -> knownChecks.test(member, check));
    }

    private Set<String> membersOf(String slug) {
        return systems.find(slug).isPresent() ? Set.copyOf(systems.transitiveMembers(slug)) : Set.of();
    }

    static ObjectNode body(Downtime downtime) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("id", downtime.id().toString())
                .put("check", downtime.check()).put("members", downtime.members())
                .put("starts", downtime.starts().toString())
                .put("ends", downtime.ends() == null ? null : downtime.ends().toString())
                .put("author", downtime.author()).put("comment", downtime.comment());
        if (downtime.recurrence() != null) {
            body.put("recurrence", downtime.recurrence().spec()).put("zone", downtime.recurrence().zone().getId());
        }
        return body;
    }
}
