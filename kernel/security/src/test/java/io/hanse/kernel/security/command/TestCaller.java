package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;
import java.util.Set;

/**
 * A shell user who holds some permissions on the whole instance and others on system {@code web}
 * only.
 */
record TestCaller(String name, Set<String> everywhere, Set<String> onWeb) implements Caller {

    static TestCaller holding(String name, String... everywhere) {
        return new TestCaller(name, Set.of(everywhere), Set.of());
    }

    @Override
    public Source source() {
        return new Source(Source.Kind.USER, name);
    }

    @Override
    public boolean authenticated() {
        return true;
    }

    @Override
    public Scope scope(String permission) {
        if (everywhere.contains(permission)) {
            return Scope.EVERYWHERE;
        }
        return onWeb.contains(permission) ? Scope.of(Set.of("web")) : Scope.NOWHERE;
    }
}
