package io.hanse.api.security;

import io.hanse.api.timeline.Source;

/** The caller who did not say who it is: see {@link Caller#anonymous()}. */
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
