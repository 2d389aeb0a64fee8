package io.hanse.kernel.security.command;

import io.hanse.api.ForbiddenException;
import io.hanse.api.security.Caller;

/** Who a command acts for: the caller themself, or someone else if the caller may act for others. */
final class Callers {

    private Callers() {
    }

    /** Returns the name of the user running the command. */
    static String self(Caller caller) {
        return caller.source().name();
    }

    /**
     * Returns the user a command acts on: {@code user}, or the caller if {@code user} is null.
     *
     * @param forOthers the permission the caller needs on the whole instance to act on another user
     * @throws ForbiddenException if {@code user} is someone else and the caller lacks {@code forOthers}
     */
    static String actingOn(Caller caller, String user, String forOthers) {
        String self = self(caller);
        if (user == null || user.equals(self)) {
            return self;
        }
        caller.require(forOthers);
        return user;
    }
}
