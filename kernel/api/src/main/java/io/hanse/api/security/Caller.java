package io.hanse.api.security;

import io.hanse.api.ForbiddenException;
import io.hanse.api.Messages;
import io.hanse.api.timeline.Source;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Who made a request or runs a shell command, and what it may do where. What a caller may do is
 * the union of the roles bound to it and its groups, narrowed by the token it authenticated with.
 * A caller is decided when the request starts and does not change while it runs.
 */
@ProviderType
public interface Caller {

    /** Returns the caller who did not say who it is: authenticated nowhere, it may do nothing. */
    static Caller anonymous() {
        return Anonymous.CALLER;
    }

    /** Returns who this is, as recorded on the timeline and in the audit log. */
    Source source();

    /** Returns whether this caller proved who it is; an anonymous caller may do nothing. */
    boolean authenticated();

    /**
     * Returns whether the credentials this caller proved still hold, with the rights they gave: false
     * once its token is revoked or has expired, its user is disabled or deleted, a change to its
     * bindings, groups or roles changed what it may do where, or a change to the systems changed
     * which ones a scope it was given reaches. Work that outlives the request, such as a live
     * stream, asks as it goes and stops when they no longer do.
     */
    default boolean valid() {
        return authenticated();
    }

    /** Returns where this caller holds the permission. */
    Scope scope(String permission);

    /** Returns whether this caller holds the permission on the whole instance. */
    default boolean mayEverywhere(String permission) {
        return scope(permission).everywhere();
    }

    /**
     * Returns whether this caller holds the permission on a system: bound on the instance, on the
     * system itself, or on an aggregate that includes it.
     *
     * @param system a system's slug
     */
    default boolean may(String permission, String system) {
        return scope(permission).includes(system);
    }

    /**
     * Requires the permission on the whole instance.
     *
     * @throws ForbiddenException naming the missing permission
     */
    default void require(String permission) {
        if (!mayEverywhere(permission)) {
            throw new ForbiddenException("missing permission " + permission + " on the whole instance");
        }
    }

    /**
     * Requires what a declaration asks for, apart from a system: the permission on the whole
     * instance if it says {@link RequiresPermission#everywhere()}, otherwise anywhere at all.
     *
     * @throws ForbiddenException naming the missing permission
     */
    default void require(RequiresPermission declared) {
        if (declared.everywhere()) {
            require(declared.value());
        } else if (scope(declared.value()).isEmpty()) {
            throw new ForbiddenException("missing permission " + declared.value());
        }
    }

    /**
     * Requires the permission on a system.
     *
     * @throws ForbiddenException naming the missing permission and the system
     */
    default void require(String permission, String system) {
        if (!may(permission, system)) {
            throw new ForbiddenException("missing permission " + permission + " on system " + Messages.quote(system));
        }
    }
}
