package io.hanse.api.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.Permission;
import io.hanse.api.security.Scope;
import io.hanse.api.security.SecurityService;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Rules;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.Source;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.karaf.shell.support.parsing.CommandLineImpl;
import org.junit.jupiter.api.Test;

class SystemSlugCompleterTest {

    @Test
    void onlyTheSystemsTheShellUserMayReadAreOffered() {
        SystemSlugCompleter completer = new SystemSlugCompleter();
        List<ManagedSystem> all = List.of(system("db-1"), system("shop"), system("web-1"));
        completer.systems = (SystemService) Proxy.newProxyInstance(SystemService.class.getClassLoader(),
                new Class<?>[] {SystemService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("list")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return all;
                });
        completer.security = shellOf(Scope.of(Set.of("shop", "web-1")));
        assertEquals(List.of("shop", "web-1"), complete(completer));
        completer.security = shellOf(Scope.EVERYWHERE);
        assertEquals(List.of("db-1", "shop", "web-1"), complete(completer));
    }

    private static List<String> complete(SystemSlugCompleter completer) {
        String[] words = {"system:show", ""};
        List<String> candidates = new ArrayList<>();
        completer.complete(null, new CommandLineImpl(words, 1, 0, 12, "system:show "), candidates);
        return candidates.stream().map(String::strip).sorted().toList();
    }

    /** The kernel's security with a user logged in to the shell who holds systems:read on this scope. */
    private static SecurityService shellOf(Scope readable) {
        Caller caller = new Caller() {
            @Override
            public Source source() {
                return new Source(Source.Kind.USER, "carol");
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public Scope scope(String permission) {
                return permission.equals(KernelPermissions.SYSTEMS_READ) ? readable : Scope.NOWHERE;
            }
        };
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

    private static ManagedSystem system(String slug) {
        return new ManagedSystem(UUID.randomUUID(), slug, slug, "host", Map.of(), "", List.of(), List.of(), Rules.NONE,
                List.of(), Optional.empty(), Instant.EPOCH, Instant.EPOCH);
    }
}
