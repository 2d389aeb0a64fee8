package io.hanse.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactsCollectorTest {

    @TempDir
    Path root;

    @Test
    void readsTheHostsFiles() throws IOException {
        write("etc/os-release", "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nID=debian\n");
        write("proc/sys/kernel/osrelease", "6.12.0-1-amd64\n");
        write("proc/meminfo", "MemTotal:       25165824 kB\nMemFree:         1000000 kB\n");
        write("proc/uptime", "12345.67 54321.00\n");
        ObjectNode facts = new FactsCollector(root, "0.1.0").collect();
        assertEquals("Debian GNU/Linux 13 (trixie)", facts.path("os").asText());
        assertEquals("6.12.0-1-amd64", facts.path("kernel").asText());
        assertEquals(25769803776L, facts.path("memoryBytes").asLong());
        assertEquals(12345, facts.path("uptimeSeconds").asLong());
        assertEquals(System.getProperty("os.arch"), facts.path("arch").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), facts.path("cpus").asInt());
        assertEquals("0.1.0", facts.path("agentVersion").asText());
        assertFalse(facts.path("hostname").asText().isEmpty());
        facts.path("addresses").forEach(address -> assertFalse(address.asText().startsWith("127.")
                || address.asText().equals("0:0:0:0:0:0:0:1") || address.asText().contains("%"), address.asText()));
    }

    @Test
    void leavesOutWhatItCannotFind() throws IOException {
        write("proc/meminfo", "garbage\n");
        write("proc/uptime", "soon\n");
        ObjectNode facts = new FactsCollector(root, "0.1.0").collect();
        for (String missing : new String[] {"os", "kernel", "memoryBytes", "uptimeSeconds"}) {
            assertTrue(facts.path(missing).isMissingNode(), missing);
        }
        assertEquals("0.1.0", facts.path("agentVersion").asText());
    }

    private void write(String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
