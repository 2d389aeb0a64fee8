package io.hanse.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.agent.config.CheckSpec;
import io.hanse.agent.testing.Scripts;
import java.io.IOException;
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
    void aProgramThatCannotStartIsUnknownWithTheReason() throws InterruptedException {
        CheckResult result = runner.run(check(List.of(dir.resolve("missing").toString()), 10));
        assertEquals(CheckStatus.UNKNOWN, result.status());
        assertNull(result.exitCode());
        assertTrue(result.output().startsWith("cannot run " + dir.resolve("missing")), result.output());
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
        for (String pid : children) {
            assertFalse(running(Long.parseLong(pid.strip())), "descendant " + pid + " still runs");
        }
    }

    @Test
    @Timeout(30)
    void aProcessLeftRunningInTheBackgroundDoesNotHoldTheResultUntilTheTimeout() throws Exception {
        Path pid = dir.resolve("pid");
        // The pause lets the agent read the line first: it waits on the still open pipe when the script ends.
        Path script = Scripts.write(dir, "plugin",
                "sleep 600 &\necho $! > " + pid + "\necho 'OK - started'\nsleep 0.2");
        try {
            CheckResult result = runner.run(check(List.of(script.toString()), 60));
            assertEquals(CheckStatus.OK, result.status());
            assertEquals("OK - started", result.output());
            assertFalse(result.timedOut());
        } finally {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
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
    void feedsInputToStandardInput() throws InterruptedException {
        byte[] input = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        ProcessResult result = new ProcessRunner().run(List.of("/bin/cat"), input, Duration.ofSeconds(10));
        assertEquals(0, result.exitCode());
        assertEquals("{\"a\": 1}", result.output());
    }

    private static CheckSpec check(List<String> command, int timeoutSeconds) {
        return new CheckSpec("test", command, Duration.ofSeconds(60), Duration.ofSeconds(timeoutSeconds), "web-1", 0);
    }

    /** Whether the process exists and is not a zombie (a killed orphan may wait to be reaped by init). */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
