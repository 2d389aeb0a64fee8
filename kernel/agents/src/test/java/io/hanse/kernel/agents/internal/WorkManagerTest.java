package io.hanse.kernel.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.agent.WorkDraft;
import io.hanse.kernel.store.internal.JdbcWorkStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MutableClock;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Claims, against the work store on a real (H2) database: clamped, and with capabilities checked. */
class WorkManagerTest {

    private final KernelDatabase database = KernelDatabase.h2();
    private final WorkManager work = new WorkManager(new JdbcWorkStore(null, database.dataSource()),
            new MutableClock(Instant.parse("2026-12-05T10:00:00Z")));

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aClaimForMoreThanTheMostTakesTheMost() {
        for (int i = 0; i <= WorkManager.MAX_CLAIM; i++) {
            work.create(TestCaller.everywhere("alice"), new WorkDraft("probe.http", "{\"n\":" + i + "}", null,
                    Duration.ofMinutes(5), 3));
        }

        assertEquals(WorkManager.MAX_CLAIM, work.claim("web-1", List.of("probe.http"), 500).size());
        assertEquals(1, work.claim("web-1", List.of("probe.http"), 500).size());
        assertThrows(InvalidRequestException.class, () -> work.claim("web-1", List.of("probe.http"), 0));
    }

    @Test
    void capabilitiesAreRequiredBoundedAndEachNamedWhenWrong() {
        assertThrows(InvalidRequestException.class, () -> work.claim("web-1", List.of(), 1));
        String withNull = assertThrows(InvalidRequestException.class,
                () -> work.claim("web-1", Arrays.asList("probe.http", null), 1)).getMessage();
        assertTrue(withNull.startsWith("capabilities[1] is not a work type"), withNull);
        String tooLong = assertThrows(InvalidRequestException.class,
                () -> work.claim("web-1", List.of("probe." + "x".repeat(100)), 1)).getMessage();
        assertTrue(tooLong.startsWith("capabilities[0] is not a work type"), tooLong);
        List<String> many = IntStream.rangeClosed(0, Capabilities.MAX).mapToObj(i -> "probe.t" + i).toList();
        assertThrows(InvalidRequestException.class, () -> work.claim("web-1", many, 1));
    }
}
