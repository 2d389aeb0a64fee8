package io.hanse.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootEpochTest {

    private static final Instant NOW = Instant.parse("2026-12-05T03:00:00Z");
    private static final int TAKES = 200;

    @TempDir
    Path dir;

    @Test
    void startsInTheSameMillisecondGetEpochsOneApart() {
        Clock stopped = Clock.fixed(NOW, ZoneOffset.UTC);
        assertEquals(NOW.toEpochMilli(), BootEpoch.next(dir, stopped));
        assertEquals(NOW.toEpochMilli() + 1, BootEpoch.next(dir, stopped));
        assertEquals(NOW.toEpochMilli() + 2, BootEpoch.next(dir, stopped));
    }

    @Test
    void aClockThatWentBackNeverGivesAnEpochAgain() {
        long later = BootEpoch.next(dir, Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));
        assertEquals(later + 1, BootEpoch.next(dir, Clock.fixed(NOW, ZoneOffset.UTC)), "the clock was set back");
        assertEquals(NOW.plusSeconds(7200).toEpochMilli(),
                BootEpoch.next(dir, Clock.fixed(NOW.plusSeconds(7200), ZoneOffset.UTC)), "the clock is ahead again");
    }

    @Test
    void aDamagedFileLeavesTheClockToDecide() throws IOException {
        Files.writeString(dir.resolve(BootEpoch.FILE), "not a number");
        assertEquals(NOW.toEpochMilli(), BootEpoch.next(dir, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @Test
    void processesTakingEpochsAtOnceNeverShareOne() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> takers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            takers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Taker.class.getName(),
                    dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        Set<Long> epochs = new HashSet<>();
        for (Process taker : takers) {
            String out = new String(taker.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(taker.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, taker.exitValue());
            out.lines().map(Long::parseLong).forEach(epochs::add);
        }
        assertEquals(2 * TAKES, epochs.size(), "every epoch taken once");
    }

    /** Takes epochs with a stopped clock, so that only the lock and the file keep them apart; prints them. */
    public static final class Taker {
        public static void main(String[] args) {
            Clock stopped = Clock.fixed(NOW, ZoneOffset.UTC);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < TAKES; i++) {
                out.append(BootEpoch.next(Path.of(args[0]), stopped)).append('\n');
            }
            System.out.print(out);
        }
    }
}
