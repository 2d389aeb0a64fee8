package io.hanse.kernel.core.command.timeline;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.TIMELINE_READ;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.security.Scope;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.shell.ShellText;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Subscriber;
import io.hanse.api.timeline.Subscription;
import io.hanse.api.timeline.Timeline;
import io.hanse.kernel.core.internal.timeline.KernelRecords;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

@Command(scope = "timeline", name = "tail", description = "Shows the latest events, oldest first, then "
        + "follows new events until Ctrl-C.")
@Service
@RequiresPermission(TIMELINE_READ)
public class TimelineTailCommand extends SecuredAction {

    static final int BODY_MAX = 120;

    /** How long a quiet tail waits before it checks again that its console and its caller still are. */
    static final long CONSOLE_CHECK_MILLIS = 2_000;

    /** Events a tail holds for a console that does not take them; one more ends the tail. */
    static final int MAX_QUEUED = 10_000;

    @Argument(index = 0, name = "system", description = "Only events about this system and everything it "
            + "aggregates; all systems if not given")
    @Completion(SystemSlugCompleter.class)
    String system;

    @Option(name = "--types", description = "Only these event types, comma-separated; a.* for a whole namespace, "
            + "such as 'deploy.finished,monitoring.*'")
    String types;

    @Option(name = "-n", aliases = "--limit", description = "How many latest events to show first; 0 for none")
    int limit = 20;

    @Option(name = "--no-follow", description = "Stops after the latest events instead of following")
    boolean noFollow;

    @Option(name = "--only-this", description = "With a system, leaves out the events about its members")
    boolean onlyThis;

    @Reference
    Timeline timeline;

    @Reference
    Session session;

    /** What the subscription hands to the command thread: an event, or what to say as the tail ends. */
    private record Delivery(Event event, String ended) {
    }

    @Override
    protected Object execute(Caller caller) {
        // Karaf does not interrupt a command whose client went away; the console's failing flush tells.
        return tail(caller, () -> !session.getConsole().checkError());
    }

    /**
     * Prints the latest events and, unless told not to, follows new ones until interrupted, until the
     * timeline ends the subscription, until the console is gone or falls more than
     * {@value #MAX_QUEUED} events behind, or, as a live stream does, until the caller's credentials
     * no longer hold or what they allow changed, since the scope was fixed when the tail started. The
     * kernel's records of changes to systems name only the members the caller may read.
     */
    Object tail(Caller caller, BooleanSupplier consoleOpen) {
        if (limit < 0) {
            throw new InvalidRequestException("--limit must be 0 or more, not " + limit);
        }
        EventQuery query = new EventQuery(system, system != null && !onlyThis, types(types), null, null,
                Math.max(limit, 1), null, null).within(caller.scope(permission()));
        Scope readable = caller.scope(SYSTEMS_READ);
        if (noFollow) {
            latest(query).forEach(event -> print(event, readable));
            return null;
        }
        // Events are printed on this thread, which Karaf connects to the console and interrupts on Ctrl-C;
        // the subscription delivers on a kernel thread, so it only queues, never blocking that thread. The last
        // place is kept for saying why the tail ends.
        BlockingQueue<Delivery> queue = new LinkedBlockingQueue<>(MAX_QUEUED + 1);
        Subscriber subscriber = new Subscriber() {
            @Override
            public void event(Event event) {
                queue.offer(queue.remainingCapacity() > 1 ? new Delivery(event, null) : new Delivery(null,
                        "The console fell more than " + MAX_QUEUED + " events behind; start the tail again"));
            }

            @Override
            public void ended(String reason) {
                queue.offer(new Delivery(null, "The timeline ended the subscription: " + reason));
            }
        };
        // Subscribed before reading the latest events, so that none is lost in between; those that
        // arrive both ways are printed once.
        Subscription subscription = timeline.subscribe(query, subscriber);
        try {
            List<Event> latest = latest(query);
            latest.forEach(event -> print(event, readable));
            Set<String> printed = latest.stream().map(Event::id).collect(Collectors.toCollection(HashSet::new));
            while (consoleOpen.getAsBoolean()) {
                Delivery delivery = queue.poll(CONSOLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                if (!caller.valid()) {
                    System.err.println("The credentials no longer hold, or what they allow changed; connect again");
                    return null;
                }
                if (delivery == null) {
                    continue;
                }
                if (delivery.ended() != null) {
                    System.err.println(ShellText.printable(delivery.ended()));
                    return null;
                }
                if (!printed.remove(delivery.event().id())) {
                    print(delivery.event(), readable);
                }
            }
            return null;
        } catch (InterruptedException e) {
            // Ctrl-C: the user asked to stop following.
            return null;
        } finally {
            subscription.close();
        }
    }

    /** Returns the latest events that match, oldest first. */
    private List<Event> latest(EventQuery query) {
        if (limit == 0) {
            return List.of();
        }
        List<Event> events = new ArrayList<>(timeline.query(query).events());
        Collections.reverse(events);
        return events;
    }

    /** Prints an event as a caller who may read the systems of {@code readable} reads it. */
    private void print(Event event, Scope readable) {
        out().println(line(KernelRecords.seenBy(event, readable)));
        out().flush();
    }

    /** Returns an event as one line: time, type, system, source and body, the body cut to {@value #BODY_MAX}. */
    static String line(Event event) {
        return String.join(" ", ShellText.time(event.time()), event.type(), event.system(),
                ShellText.source(event.source()), ShellText.oneLine(event.body(), BODY_MAX));
    }

    /** Parses {@code --types}: comma-separated, blanks ignored; empty for all types. */
    static Set<String> types(String types) {
        if (types == null) {
            return Set.of();
        }
        return Arrays.stream(types.split(","))
                .map(String::strip)
                .filter(type -> !type.isEmpty())
                .collect(Collectors.toSet());
    }
}
