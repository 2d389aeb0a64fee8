package io.hanse.api.timeline;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooLargeException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The instance's timeline: append events, query them newest first, follow them live.
 */
@ProviderType
public interface Timeline {

    /**
     * Appends one event. It is stored when this returns.
     *
     * @throws NotFoundException if the system does not exist
     * @throws InvalidRequestException if the body is not a JSON object
     * @throws TooLargeException if the body is larger than the configured limit
     */
    Appended append(EventDraft draft);

    /**
     * Appends events in one transaction: all are stored, or, if one is refused, none.
     * This is the way to append many events fast.
     *
     * @return one outcome per draft, in the same order
     * @throws NotFoundException if a system does not exist
     * @throws InvalidRequestException if a body is not a JSON object, or there are more than 10,000 drafts
     * @throws TooLargeException if a body is larger than the configured limit
     */
    List<Appended> append(List<EventDraft> drafts);

    /**
     * Returns the newest events that match, one page at a time.
     *
     * @throws NotFoundException if the query names a system that does not exist or is outside its
     *     {@link EventQuery#within() bound}
     * @throws InvalidRequestException if the cursor is not one this timeline returned
     */
    EventPage query(EventQuery query);

    /**
     * Delivers every event appended from now on that matches the query's filters (its limit and
     * cursor are ignored), in the order {@link Subscriber#event} says. Delivery is on a kernel thread;
     * a slow subscriber delays only itself, and one that falls more than 10,000 events behind is ended.
     *
     * @throws NotFoundException if the query names a system that does not exist or is outside its
     *     {@link EventQuery#within() bound}
     */
    Subscription subscribe(EventQuery filter, Subscriber subscriber);
}
