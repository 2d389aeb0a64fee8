package io.hanse.api.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.security.KernelPermissions;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.TestCaller;
import io.hanse.testing.TestSecurity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.support.parsing.CommandLineImpl;
import org.junit.jupiter.api.Test;

/**
 * System slugs as a shell user completes them; tested here, with the kernel's test helpers, which
 * depend on the API.
 */
class SystemSlugCompleterTest {

    @Test
    void onlyTheSystemsTheShellUserMayReadAreOffered() {
        SystemSlugCompleter completer = new SystemSlugCompleter();
        MemorySystems systems = new MemorySystems();
        List.of("db-1", "shop", "web-1").forEach(systems::add);
        completer.systems = systems;
        completer.security = TestSecurity.shellOf(TestCaller.on("carol", Set.of("shop", "web-1"),
                KernelPermissions.SYSTEMS_READ));
        assertEquals(List.of("shop", "web-1"), complete(completer));
        completer.security = TestSecurity.shellOf(TestCaller.everywhere("alice"));
        assertEquals(List.of("db-1", "shop", "web-1"), complete(completer));
    }

    private static List<String> complete(SystemSlugCompleter completer) {
        String[] words = {"system:show", ""};
        List<String> candidates = new ArrayList<>();
        completer.complete(null, new CommandLineImpl(words, 1, 0, 12, "system:show "), candidates);
        return candidates.stream().map(String::strip).sorted().toList();
    }
}
