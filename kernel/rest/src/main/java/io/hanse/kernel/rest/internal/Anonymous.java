package io.hanse.kernel.rest.internal;

import io.hanse.api.security.Caller;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;

/** The caller of a request without credentials while security is not running: it may do nothing. */
final class Anonymous implements Caller {

    static final Caller CALLER = new Anonymous();
    private static final Source SOURCE = new Source(Source.Kind.USER, "anonymous");

    private Anonymous() {
    }

    @Override
    public Source source() {
        return SOURCE;
    }

    @Override
    public boolean authenticated() {
        return false;
    }

    @Override
    public Scope scope(String permission) {
        return Scope.NOWHERE;
    }
}
