package io.hanse.kernel.core.command.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.system.SystemAdminService;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.Printed;
import io.hanse.testing.TestCaller;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SystemRemoveCommandTest {

    @Test
    void namesOnlyTheAggregatesTheCallerMayRead() {
        MemorySystems systems = new MemorySystems();
        systems.add("db-1");
        systems.add("billing", "db-1");
        systems.add("shop", "db-1");
        SystemRemoveCommand remove = new SystemRemoveCommand();
        remove.systems = systems;
        remove.admin = (SystemAdminService) Proxy.newProxyInstance(SystemAdminService.class.getClassLoader(),
                new Class<?>[] {SystemAdminService.class}, (proxy, method, arguments) -> {
                    assertEquals("delete", method.getName());
                    return systems.remove((String) arguments[0]);
                });
        remove.slug = "db-1";

        List<String> lines = Printed.lines(() -> remove.execute(
                TestCaller.on("alice", Set.of("db-1", "shop"), SYSTEMS_READ, SYSTEMS_WRITE)));

        assertEquals(List.of("Removed system db-1", "It is no longer a member of shop"), lines);
    }
}
