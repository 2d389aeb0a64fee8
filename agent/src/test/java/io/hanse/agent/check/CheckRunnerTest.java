package io.hanse.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.agent.config.CheckSpec;
import io.hanse.agent.testing.Await;
import io.hanse.agent.testing.Scripts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckRunnerTest {

    private final CheckRunner runner = new CheckRunner(new ProcessRunner());

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"0, OK", "1, WARNING", "2, CRITICAL", "3, UNKNOWN"})
    void mapsNagiosExitCodes(int code, CheckStatus status) throws InterruptedException {
        Path script = Scripts.write(dir, "plugin", "echo \"STATE $1 | v=$1;1;2\"\nexit $1");
        CheckResult result = runner.run(check(List.of(script.toString(), Integer.toString(code)), 10));
        assertEquals(status, result.status());
        assertEquals(code, result.exitCode());
        assertEquals("STATE " + code, result.output());
        assertEquals(List.of(new Metric("v", new BigDecimal(code), "", "1", "2", null, null)),
                result.metrics());
        assertFalse(result.timedOut());
    }

    @Test
    void anyOtherExitCodeIsUnknownAndSaysSo() throws InterruptedException {
        Path script = Scripts.write(dir, "plugin", "echo 'segfaulted somewhere'\nexit 139");
        CheckResult result = runner.run(check(List.of(script.toString()), 10));
        assertEquals(CheckStatus.UNKNOWN, result.status());
        assertEquals(139, result.exitCode());
        assertEquals("the plugin exited with code 139: segfaulted somewhere", result.output());
    }

    @Test
    void aProgramThatDoesNotExistIsUnknownWithTheReason() throws InterruptedException {
        CheckResult result = runner.run(check(List.of(dir.resolve("missing").toString(), "-w", "1"), 10));
        assertEquals(CheckStatus.UNKNOWN, result.status());
        assertNull(result.exitCode(), "no exit code: it did not start");
        assertFalse(result.timedOut());
        assertEquals(dir.resolve("missing") + " does not exist or is not a file", result.output());
        assertEquals("unknown", result.toJson().path("status").asText());
        assertTrue(result.summary().startsWith("UNKNOWN test: " + dir.resolve("missing")
                + " does not exist or is not a file (did not start, "), result.summary());
    }

    @Test
    void aDirectoryOrAFileThatIsNotExecutableIsUnknownWithTheReason() throws InterruptedException, IOException {
        assertEquals(dir + " does not exist or is not a file", runner.run(check(List.of(dir.toString()), 10)).output());
        Path plain = Files.writeString(dir.resolve("plain"), "#!/bin/sh\necho OK\n");
        CheckResult result = runner.run(check(List.of(plain.toString()), 10));
        assertEquals(CheckStatus.UNKNOWN, result.status());
        assertNull(result.exitCode());
        assertEquals(plain + " is not executable", result.output());
    }

    @Test
    void aProgramInstalledLaterRunsAtTheNextRun() throws InterruptedException {
        CheckSpec later = check(List.of(dir.resolve("scripts/check_later").toString()), 10);
        assertEquals(CheckStatus.UNKNOWN, runner.run(later).status());
        Scripts.write(dir.resolve("scripts"), "check_later", "echo 'OK - installed'");
        CheckResult result = runner.run(later);
        assertEquals(CheckStatus.OK, result.status());
        assertEquals("OK - installed", result.output());
    }

    @Test
    void standardErrorStandsInForMissingOutput() throws InterruptedException {
        Path script = Scripts.write(dir, "plugin", "echo 'No such device' >&2\nexit 2");
        CheckResult result = runner.run(check(List.of(script.toString()), 10));
        assertEquals(CheckStatus.CRITICAL, result.status());
        assertEquals("(no output on stdout) stderr: No such device", result.output());
    }

    @Test
    void standardInputIsClosed() throws InterruptedException {
        Path script = Scripts.write(dir, "plugin", "if read line; then echo 'WARNING got input'; exit 1; fi\n"
                + "echo 'OK no input'");
        CheckResult result = runner.run(check(List.of(script.toString()), 10));
        assertEquals("OK no input", result.output());
        assertEquals(CheckStatus.OK, result.status());
    }

    @Test
    void aTimeoutKillsTheCheckAndItsDescendants() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = Scripts.write(dir, "plugin",
                "(sleep 300; echo late) &\necho $! > " + pids + "\nsleep 300 &\necho $! >> " + pids + "\nwait");
        CheckResult result = runner.run(check(List.of(script.toString()), 1));
        assertEquals(CheckStatus.UNKNOWN, result.status());
        assertTrue(result.timedOut());
        assertNull(result.exitCode());
        assertEquals("check timed out after 1 s", result.output());
        List<String> children = Files.readAllLines(pids);
        assertEquals(2, children.size());
        // Killed, which the kernel carries out in its own time: on a loaded machine not always by the time the
        // result is in.
        for (String pid : children) {
            Await.until("descendant " + pid + " to die", () -> !running(Long.parseLong(pid.strip())));
        }
    }

    @Test
    @Timeout(120)
    void processesLeftRunningInTheBackgroundHoldNeitherTheResultNorAThread() throws Exception {
        // Each run leaves a process that holds the check's output and error pipes open for ten minutes.
        Path checks = dir.resolve("checks");
        Path orphans = dir.resolve("orphans");
        Path script = Scripts.write(dir, "plugin", "echo $$ >> " + checks + "\nsleep 600 &\necho $! >> " + orphans
                + "\necho 'OK - started'");
        try {
            for (int i = 0; i < 20; i++) {
                CheckResult result = runner.run(check(List.of(script.toString()), 60));
                assertEquals(CheckStatus.OK, result.status());
                assertEquals("OK - started", result.output());
                assertFalse(result.timedOut());
                assertTrue(result.durationMs() < 10_000, "waited for the process left behind: " + result.durationMs());
            }
            // The runner names the threads that read a program's pipes after its pid: child-<pid>-out, -err.
            List<String> readers = Files.readAllLines(checks).stream().map(pid -> "child-" + pid.strip() + "-")
                    .toList();
            List<String> alive = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> readers.stream().anyMatch(name::startsWith)).toList();
            assertEquals(List.of(), alive);
        } finally {
            for (String pid : Files.readAllLines(orphans)) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void keepsTheFirstBytesOfHugeOutputAndLetsTheChildFinish() throws InterruptedException {
        Path script = Scripts.write(dir, "plugin",
                "head -c 10485760 /dev/zero | tr '\\000' x\necho\necho 'second line'\nexit 0");
        CheckResult result = runner.run(check(List.of(script.toString()), 30));
        assertEquals(CheckStatus.OK, result.status());
        assertEquals(0, result.exitCode());
        assertFalse(result.timedOut());
        assertEquals(CheckResult.MAX_OUTPUT_BYTES, result.output().getBytes(StandardCharsets.UTF_8).length);
        assertTrue(result.output().chars().allMatch(c -> c == 'x'));
    }

    @Test
    void aPerfdataItemCutShortByTheOutputLimitIsLeftOutAndToldOf() throws InterruptedException {
        // 8 bytes, a long output line of all but 40 of the limit's, then perfdata that the limit cuts in "used".
        Path script = Scripts.write(dir, "plugin", "echo 'DISK OK'\nhead -c " + (ProcessRunner.MAX_OUTPUT_BYTES - 40)
                + " /dev/zero | tr '\\000' x\necho\necho 'more | free=5 used=1234567890123456789'\nexit 0");
        CheckResult result = runner.run(check(List.of(script.toString()), 30));
        assertEquals(List.of("free"), result.metrics().stream().map(Metric::label).toList());
        assertEquals("standard output past 64 KiB was left out, and the perfdata item it cut short",
                result.perfdataError());
    }

    @Test
    void feedsInputToStandardInput() throws InterruptedException {
        byte[] input = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        ProcessResult result = new ProcessRunner().run(List.of("/bin/cat"), input, Duration.ofSeconds(10));
        assertEquals(0, result.exitCode());
        assertEquals("{\"a\": 1}", result.output());
    }

    @Test
    @Timeout(60)
    void inputTheProgramLeavesUnreadHoldsNeitherTheRunNorAThread() throws Exception {
        // The program hands its input to a process it leaves running (on fd 3: a shell gives a process
        // in the background /dev/null as input otherwise), and ends a second later without reading it:
        // more input than a pipe holds could then never be written to the end.
        Path program = dir.resolve("program");
        Path orphan = dir.resolve("orphan");
        Path script = Scripts.write(dir, "work", "echo $$ > " + program + "\nexec 3<&0\n"
                + "sleep 600 <&3 >/dev/null 2>&1 &\necho $! > " + orphan + "\nsleep 1\necho done");
        try {
            ProcessResult result = new ProcessRunner().run(List.of(script.toString()), new byte[1024 * 1024],
                    Duration.ofSeconds(10));
            assertEquals(0, result.exitCode());
            assertEquals("done\n", result.output());
            // The runner names the threads of a run after the program's pid: child-<pid>-….
            String threads = "child-" + Files.readString(program).strip() + "-";
            assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.startsWith(threads)).toList());
        } finally {
            long pid = Long.parseLong(Files.readString(orphan).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static CheckSpec check(List<String> command, int timeoutSeconds) {
        return new CheckSpec("test", command, Duration.ofSeconds(60), Duration.ofSeconds(timeoutSeconds), "web-1", 0);
    }

    /** Whether the process exists and is not a zombie (a killed orphan may wait to be reaped by init). */
    private static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
