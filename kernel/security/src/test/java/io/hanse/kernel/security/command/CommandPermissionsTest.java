package io.hanse.kernel.security.command;

import static io.hanse.api.security.KernelPermissions.AUDIT_READ;
import static io.hanse.api.security.KernelPermissions.SECURITY_READ;
import static io.hanse.api.security.KernelPermissions.SECURITY_WRITE;
import static io.hanse.api.security.KernelPermissions.SELF_MANAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.junit.jupiter.api.Test;

/** Which permission each command needs: the table the report and the docs are written from. */
class CommandPermissionsTest {

    /** A permission, and whether it is needed on the whole instance or anywhere. */
    private record Needs(String permission, boolean everywhere) {
    }

    private static final Needs READ = new Needs(SECURITY_READ, true);
    private static final Needs WRITE = new Needs(SECURITY_WRITE, true);
    private static final Needs SELF = new Needs(SELF_MANAGE, false);
    private static final Needs AUDIT = new Needs(AUDIT_READ, true);

    private static final Map<String, Needs> COMMANDS = new TreeMap<>(Map.ofEntries(
            Map.entry("security:user-add", WRITE),
            Map.entry("security:user-list", READ),
            Map.entry("security:user-show", READ),
            Map.entry("security:user-set", WRITE),
            Map.entry("security:user-remove", WRITE),
            Map.entry("security:password", SELF),
            Map.entry("security:key-add", WRITE),
            Map.entry("security:key-list", READ),
            Map.entry("security:key-remove", WRITE),
            Map.entry("security:group-add", WRITE),
            Map.entry("security:group-list", READ),
            Map.entry("security:group-remove", WRITE),
            Map.entry("security:group-member-add", WRITE),
            Map.entry("security:group-member-remove", WRITE),
            Map.entry("security:role-add", WRITE),
            Map.entry("security:role-set", WRITE),
            Map.entry("security:role-list", READ),
            Map.entry("security:role-remove", WRITE),
            Map.entry("security:permissions", READ),
            Map.entry("security:bind", WRITE),
            Map.entry("security:unbind", WRITE),
            Map.entry("security:bindings", READ),
            Map.entry("security:token-create", SELF),
            Map.entry("security:token-list", SELF),
            Map.entry("security:token-revoke", SELF),
            Map.entry("hanse:audit", AUDIT),
            Map.entry("hanse:audit-verify", AUDIT)));

    @Test
    void everyCommandIsASecuredServiceWithTheExpectedPermission() throws Exception {
        Map<String, Needs> found = new TreeMap<>();
        for (Class<?> type : classesOfThisPackage()) {
            Command command = type.getAnnotation(Command.class);
            if (command == null) {
                continue;
            }
            String name = command.scope() + ":" + command.name();
            assertTrue(SecuredAction.class.isAssignableFrom(type), name + " must extend SecuredAction");
            assertNotNull(type.getAnnotation(Service.class), name + " must be a @Service");
            RequiresPermission required = type.getAnnotation(RequiresPermission.class);
            assertNotNull(required, name + " must declare a permission");
            assertTrue(command.description().endsWith("."), name + "'s description must be a sentence");
            found.put(name, new Needs(required.value(), required.everywhere()));
        }
        assertEquals(COMMANDS, found);
    }

    private static List<Class<?>> classesOfThisPackage() throws IOException, URISyntaxException,
            ClassNotFoundException {
        String packageName = BindCommand.class.getPackageName();
        Path directory = Path.of(BindCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(packageName.replace('.', '/'));
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.map(file -> file.getFileName().toString())
                    .filter(file -> file.endsWith(".class") && !file.contains("$"))
                    .forEach(file -> names.add(file.substring(0, file.length() - ".class".length())));
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            classes.add(Class.forName(packageName + "." + name));
        }
        assertTrue(classes.size() > COMMANDS.size(), "found only " + names + " in " + directory);
        return classes;
    }
}
