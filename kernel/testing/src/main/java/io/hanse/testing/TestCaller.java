package io.hanse.testing;

import io.hanse.api.security.Caller;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A caller with fixed rights, for testing code that checks them without the kernel's security.
 *
 * @param source who it is
 * @param authenticated whether it proved who it is
 * @param everything whether it holds every permission everywhere
 * @param scopes otherwise, where it holds each permission it holds
 */
public record TestCaller(Source source, boolean authenticated, boolean everything, Map<String, Scope> scopes)
        implements Caller {

    /** Returns a user who may do everything everywhere. */
    public static TestCaller everywhere(String name) {
        return new TestCaller(new Source(Source.Kind.USER, name), true, true, Map.of());
    }

    /** Returns a user who holds the given permissions on these systems only. */
    public static TestCaller on(String name, Set<String> systems, String... permissions) {
        Map<String, Scope> scopes = new HashMap<>();
        for (String permission : permissions) {
            scopes.put(permission, Scope.of(systems));
        }
        return new TestCaller(new Source(Source.Kind.USER, name), true, false, scopes);
    }

    @Override
    public Scope scope(String permission) {
        return everything ? Scope.EVERYWHERE : scopes.getOrDefault(permission, Scope.NOWHERE);
    }
}
