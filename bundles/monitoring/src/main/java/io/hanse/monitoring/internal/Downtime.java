package io.hanse.monitoring.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A time in which a system's checks, or one check, still record but do not count as problems.
 *
 * @param id its identity
 * @param system the system's slug
 * @param systemId the system's id, which the downtime follows when its slug changes
 * @param check the one check it covers; {@code null} for all of the system's
 * @param members whether it covers the system's members, and theirs, too
 * @param starts when it starts; for a recurring one, when its recurrence starts to apply
 * @param ends when it ends; for a recurring one when its recurrence stops applying, {@code null} for never
 * @param recurrence its recurring windows; {@code null} for a one-off downtime from {@code starts} to {@code ends}
 * @param author who scheduled it, such as {@code user:alice}
 * @param comment why
 * @param created when it was scheduled
 */
public record Downtime(UUID id, String system, UUID systemId, String check, boolean members, Instant starts,
        Instant ends, Recurrence recurrence, String author, String comment, Instant created) {

    /**
     * Returns the window of this downtime that holds the time, if it is in one: a recurrence's
     * window cut to {@code starts} and {@code ends}, so that it starts and ends when the downtime
     * really does.
     */
    public Optional<Recurrence.Window> windowAt(Instant time) {
        if (time.isBefore(starts) || over(time)) {
            return Optional.empty();
        }
        if (recurrence == null) {
            return Optional.of(new Recurrence.Window(starts, ends));
        }
        return recurrence.windowAt(time).map(this::cut);
    }

    /** Cuts a window of the recurrence to when the downtime starts and ends. */
    private Recurrence.Window cut(Recurrence.Window window) {
        return new Recurrence.Window(window.start().isBefore(starts) ? starts : window.start(),
                ends != null && ends.isBefore(window.end()) ? ends : window.end());
    }

    /**
     * Returns its windows that hold a time from {@code from} to {@code to}, in the order they
     * start, at most {@code max} of them: those {@code from} is in, if any, and those starting
     * after it, each cut as {@link #windowAt} cuts it.
     */
    public List<Recurrence.Window> windows(Instant from, Instant to, int max) {
        Instant first = from.isBefore(starts) ? starts : from;
        if (over(first)) {
            return List.of();
        }
        if (recurrence == null) {
            return windowAt(first).filter(window -> !window.start().isAfter(to)).stream().toList();
        }
        List<Recurrence.Window> windows = new ArrayList<>();
        // The recurrence's own windows, followed by their uncut starts: cut, two could start at once.
        Optional<Recurrence.Window> window = recurrence.firstWindowAt(first).or(() -> recurrence.next(first));
        while (window.isPresent() && !over(window.get().start()) && windows.size() < max) {
            Recurrence.Window cut = cut(window.get());
            if (cut.start().isAfter(to)) {
                break;
            }
            windows.add(cut);
            window = recurrence.next(window.get().start());
        }
        return windows;
    }

    /**
     * Returns the window it is in at this time, else its next one, as {@link #windows} finds them:
     * looking as far ahead as {@link Recurrence#next} does. Empty if it has ended, or its recurrence
     * has no window in that span.
     */
    public Optional<Recurrence.Window> nextWindow(Instant time) {
        return windows(time, Instant.MAX, 1).stream().findFirst();
    }

    /** Returns whether it has ended by this time: it never applies again. */
    public boolean over(Instant time) {
        return ends != null && !time.isBefore(ends);
    }

    /** Returns this downtime on the system's new slug. */
    Downtime onSystem(String slug) {
        return new Downtime(id, slug, systemId, check, members, starts, ends, recurrence, author, comment, created);
    }

    /** Returns whether it covers this check of a system it covers. */
    public boolean covers(String aCheck) {
        return check == null || check.equals(aCheck);
    }
}
