package io.hanse.kernel.core.command.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.status.Status;
import io.hanse.kernel.core.command.system.SystemListCommand.Row;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.Printed;
import io.hanse.testing.TestCaller;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.support.table.ShellTable;
import org.junit.jupiter.api.Test;

class SystemListCommandTest {

    private static final List<Row> ROWS = List.of(
            new Row(Systems.bare("db-1"), Status.NO_DATA, 0),
            new Row(Systems.storage(), Status.CRITICAL, 3));

    @Test
    void jsonHasOneObjectPerSystem() throws Exception {
        JsonNode json = new ObjectMapper().readTree(SystemListCommand.json(ROWS));

        assertEquals(2, json.size());
        JsonNode storage = json.get(1);
        assertEquals("storage-fra1", storage.get("slug").asText());
        assertEquals("Storage Frankfurt", storage.get("name").asText());
        assertEquals("service", storage.get("kind").asText());
        assertEquals("fra1", storage.get("labels").get("dc").asText());
        assertEquals("gold", storage.get("labels").get("tier").asText());
        assertEquals("critical", storage.get("status").asText());
        assertEquals(3, storage.get("members").asInt());
        assertEquals("no-data", json.get(0).get("status").asText());
        assertEquals(0, json.get(0).get("labels").size());
    }

    @Test
    void aSystemDeletedWhileTheListIsMadeIsLeftOut() throws Exception {
        MemorySystems systems = new MemorySystems();
        systems.add("db-1");
        systems.add("db-2");
        systems.add("db-3");
        SystemListCommand list = new SystemListCommand();
        list.systems = systems;
        // db-2 was deleted after the systems were listed, before its status was read.
        list.status = new MemoryStatuses().put("db-1", Status.OK).put("db-3", Status.CRITICAL);
        list.json = true;

        JsonNode json = new ObjectMapper().readTree(String.join("\n",
                Printed.lines(() -> list.execute(TestCaller.everywhere("tester")))));

        assertEquals(List.of("db-1", "db-3"), json.findValuesAsText("slug"));
        assertEquals("critical", json.get(1).get("status").asText());
    }

    @Test
    void membersCountsOnlyThoseTheCallerMayRead() throws Exception {
        MemorySystems systems = new MemorySystems();
        systems.add("db-1");
        systems.add("db-2");
        systems.add("storage", "db-1", "db-2");
        SystemListCommand list = new SystemListCommand();
        list.systems = systems;
        list.status = new MemoryStatuses().put("storage", Status.OK);
        list.json = true;

        JsonNode json = new ObjectMapper().readTree(String.join("\n",
                Printed.lines(() -> list.execute(TestCaller.on("alice", Set.of("storage"), SYSTEMS_READ)))));

        assertEquals(List.of("storage"), json.findValuesAsText("slug"));
        assertEquals(0, json.get(0).get("members").asInt());
    }

    @Test
    void jsonOfNoSystemsIsAnEmptyArray() {
        assertEquals("[ ]", SystemListCommand.json(List.of()));
    }

    @Test
    void theTableHasOneLinePerSystem() {
        List<String> lines = print(SystemListCommand.table(ROWS));

        assertEquals(4, lines.size());
        assertEquals(List.of("Slug", "Name", "Kind", "Status", "Labels", "Members"), cells(lines.get(0)));
        assertEquals(List.of("db-1", "db-1", "component", "no-data", "", "0"), cells(lines.get(2)));
        assertEquals(List.of("storage-fra1", "Storage Frankfurt", "service", "critical", "dc=fra1,tier=gold", "3"),
                cells(lines.get(3)));
    }

    private static List<String> print(ShellTable table) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static List<String> cells(String line) {
        return List.of(line.split("\\|", -1)).stream().map(String::strip).toList();
    }
}
