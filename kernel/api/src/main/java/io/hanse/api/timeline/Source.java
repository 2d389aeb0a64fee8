package io.hanse.api.timeline;

import io.hanse.api.InvalidRequestException;
import java.util.Objects;

/**
 * Who put an event on the timeline.
 *
 * @param kind what kind of actor
 * @param name the actor's name: a user name, an agent name, a plugin's bundle symbolic name, a peer
 *     instance name
 */
public record Source(Kind kind, String name) {

    /** The kinds of actors that append events. */
    public enum Kind { USER, AGENT, PLUGIN, PEER, KERNEL }

    /** The kernel itself, for the events it records about systems and status. */
    public static final Source KERNEL = new Source(Kind.KERNEL, "kernel");

    public Source {
        Objects.requireNonNull(kind, "kind");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidRequestException("source name must be 1 to 200 characters");
        }
    }
}
