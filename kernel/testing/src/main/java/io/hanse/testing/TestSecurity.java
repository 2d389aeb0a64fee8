package io.hanse.testing;

import io.hanse.api.security.Caller;
import io.hanse.api.security.Permission;
import io.hanse.api.security.SecurityService;
import java.util.List;

/** The kernel's security as a command or completer sees it, without the kernel. */
public final class TestSecurity {

    private TestSecurity() {
    }

    /** Returns security with this caller logged in to the shell, and no permissions declared. */
    public static SecurityService shellOf(Caller caller) {
        return new SecurityService() {
            @Override
            public Caller shellCaller() {
                return caller;
            }

            @Override
            public List<Permission> permissions() {
                return List.of();
            }
        };
    }
}
