package io.hanse.kernel.security.command;

import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;
import io.hanse.testing.TestCaller;
import java.util.HashMap;
import java.util.Map;

/** Shell users for the command tests. */
final class ShellUsers {

    private ShellUsers() {
    }

    /** Returns a user who holds the given permissions on the whole instance, and no others. */
    static TestCaller holding(String name, String... permissions) {
        Map<String, Scope> scopes = new HashMap<>();
        for (String permission : permissions) {
            scopes.put(permission, Scope.EVERYWHERE);
        }
        return new TestCaller(new Source(Source.Kind.USER, name), true, false, scopes);
    }
}
