package io.hanse.kernel.core.internal.timeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Event;
import io.hanse.kernel.store.RecordedMembers;
import java.io.IOException;

/**
 * How callers see the kernel's records of changes to systems, which name the members that joined or
 * left: only the members a caller may read, as in lists of members ({@link RecordedMembers}). Whatever
 * returns events to a caller, REST or the shell, shows them through {@link #seenBy}.
 */
public final class KernelRecords {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KernelRecords() {
    }

    /**
     * Returns an event as a caller who may read the systems of {@code readable} sees it: a kernel
     * record without the members it may not read (and without a list of members left empty, as the
     * kernel records none); any other event as it is.
     */
    public static Event seenBy(Event event, Scope readable) {
        if (readable.everywhere() || !RecordedMembers.mayName(event)) {
            return event;
        }
        ObjectNode body = read(event.body());
        boolean hidden = RecordedMembers.hide(body, readable::includes);
        return hidden ? new Event(event.id(), event.type(), event.systemId(), event.system(), event.time(),
                event.recorded(), event.source(), event.origin(), body.toString()) : event;
    }

    private static ObjectNode read(String body) {
        try {
            return (ObjectNode) MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the body of a kernel record", e);
        }
    }
}
