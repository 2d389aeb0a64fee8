package io.hanse.api.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.InvalidRequestException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkDraftTest {

    private static WorkDraft forAgents(Set<String> agents) {
        return new WorkDraft("probe.http", null, agents, Duration.ofMinutes(5), 3);
    }

    @Test
    void theAgentsAnItemNamesAreAgentNamesAndAtMostFifty() {
        assertEquals(Set.of("web-1.agent"), forAgents(Set.of("web-1.agent")).agents());
        assertEquals("agents are named by 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter",
                assertThrows(InvalidRequestException.class,
                        () -> forAgents(new HashSet<>(Arrays.asList("web-1", null)))).getMessage());
        assertThrows(InvalidRequestException.class, () -> forAgents(Set.of("x".repeat(65))));
        Set<String> many = IntStream.rangeClosed(0, WorkDraft.MAX_AGENTS).mapToObj(i -> "a" + i)
                .collect(Collectors.toSet());
        assertEquals("a work item names at most 50 agents, not 51",
                assertThrows(InvalidRequestException.class, () -> forAgents(many)).getMessage());
    }
}
