package io.hanse.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.agent.testing.Scripts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    @TempDir
    Path dir;

    private Path plugin;

    @BeforeEach
    void plugin() {
        plugin = Scripts.write(dir, "check_load", "echo OK");
    }

    @Test
    void readsAFullConfiguration() throws IOException {
        AgentConfig config = load(
                "# /etc/hanse-agent/agent.conf",
                "server = http://127.0.0.1:8181          # REST root is <server>/api/v1",
                "state.dir = /var/lib/hanse-agent",
                "spool.max.bytes = 2097152",
                "batch.max = 250",
                "facts.interval = 1h",
                "facts.system = web-1",
                "check.load.command = " + plugin + " -w 5,4,3 -c '10, 8,6' # comment",
                "check.load.interval = 60s",
                "check.load.timeout = 10s",
                "check.load.system = web-1",
                "check.load.max-attempts = 5",
                "check.disk.command = " + plugin + " \\",
                "    -p /",
                "check.disk.interval = 5m",
                "check.disk.system: db-1",
                "work.probe.http.command = " + plugin,
                "work.probe.http.concurrency = 3",
                "work.probe.http.timeout = 90");
        assertEquals(URI.create("http://127.0.0.1:8181"), config.server());
        assertEquals(URI.create("http://127.0.0.1:8181/api/v1"), config.restRoot());
        assertEquals(Path.of("/var/lib/hanse-agent"), config.stateDir());
        assertEquals(2097152, config.spoolMaxBytes());
        assertEquals(250, config.batchMax());
        assertEquals(Duration.ofHours(1), config.factsInterval());
        assertEquals("web-1", config.factsSystem());
        assertEquals(new CheckSpec("load", List.of(plugin.toString(), "-w", "5,4,3", "-c", "10, 8,6"),
                Duration.ofSeconds(60), Duration.ofSeconds(10), "web-1", 5), config.check("load").orElseThrow());
        assertEquals(new CheckSpec("disk", List.of(plugin.toString(), "-p", "/"), Duration.ofMinutes(5),
                Duration.ofSeconds(30), "db-1", 0), config.check("disk").orElseThrow());
        assertEquals(new WorkSpec("probe.http", List.of(plugin.toString()), 3, Duration.ofSeconds(90)),
                config.work().get(0));
    }

    @Test
    void defaultsWhatItMay() throws IOException {
        AgentConfig config = load("server = https://hanse.example.org/prefix/",
                "check.fast.command = " + plugin, "check.fast.interval = 10", "check.fast.system = web-1");
        assertEquals(URI.create("https://hanse.example.org/prefix/api/v1"), config.restRoot());
        assertEquals(Path.of("/var/lib/hanse-agent"), config.stateDir());
        assertEquals(64L * 1024 * 1024, config.spoolMaxBytes());
        assertEquals(100, config.batchMax());
        assertEquals(null, config.factsSystem());
        // The default timeout of 30 s never exceeds the interval.
        assertEquals(Duration.ofSeconds(10), config.check("fast").orElseThrow().timeout());
    }

    @Test
    void namesEveryProblemWithItsKey() throws IOException {
        Path notExecutable = dir.resolve("plain");
        Files.writeString(notExecutable, "echo");
        List<String> problems = problems(
                "server = ftp://example.org",
                "state.dir = var/lib",
                "batch.max = 1001",
                "spool.max.bytes = lots",
                "colour = blue",
                "check.a.command = check_load -w 5",
                "check.a.interval = 60s",
                "check.a.system = web-1",
                "check.b.command = " + notExecutable,
                "check.b.interval = 0s",
                "check.b.system = web-1",
                "check.c.command = " + plugin,
                "check.c.interval = 30s",
                "check.c.timeout = 45s",
                "check.c.system = web-1",
                "check.d.command = " + plugin + " 'unclosed",
                "check.d.interval = 5x",
                "check.e.interval = 60s",
                "check.e.timeout = soon",
                "check.bad/name.command = " + plugin,
                "work.probe.w.concurrency = 0",
                "check.a.system = web-2");
        assertEquals(List.of(
                "line 1: server: \"ftp://example.org\" is not an http:// or https:// URL",
                "line 2: state.dir: \"var/lib\" is not an absolute path",
                "line 3: batch.max: \"1001\" is not a whole number from 1 to 1000",
                "line 4: spool.max.bytes: \"lots\" is not a whole number from 1048576 on",
                "line 5: colour: unknown key",
                "line 6: check.a.command: \"check_load\" is not an absolute path (the agent searches no PATH)",
                "line 10: check.b.interval: must be at least 1 second",
                "line 14: check.c.timeout: the timeout is longer than the interval (30 s)",
                "line 16: check.d.command: a single quote is not closed",
                "line 17: check.d.interval: \"5x\" is not a duration (use 30s, 5m, 1h, 1d or plain seconds)",
                "line 19: check.e.timeout: \"soon\" is not a duration (use 30s, 5m, 1h, 1d or plain seconds)",
                "line 20: check.bad/name.command: the check name \"bad/name\" must be 1 to 64 letters, digits, '.', "
                        + "'_' or '-'",
                "line 21: work.probe.w.concurrency: \"0\" is not a whole number from 1 to 64",
                "line 22: check.a.system: set again (first on line 8)",
                "check.d.system: missing: the system the check's results are about",
                "check.e.command: missing: the absolute path of the program to run, and its arguments",
                "check.e.system: missing: the system the check's results are about",
                "work.probe.w.command: missing: the absolute path of the program to run, and its arguments"), problems);
    }

    @Test
    void namesEveryProblemOfACheckThoughOneIsBadAlready() throws IOException {
        List<String> problems = problems(
                "server = http://127.0.0.1:8181",
                "check.load.command = /nowhere/check_load -w 5",
                "check.load.interval = 60s",
                "check.load.timeout = 2m",
                "check.load.system = web-1",
                "check.load.max-attempts = 0",
                "check.procs.interval = 8d",
                "check.procs.timeout = 9d",
                "check.procs.system = web-1",
                "check.procs.max-attempts = 101",
                "check.a b.command = " + plugin,
                "check.a b.interval = 60s",
                "check.a b.system: web-1",
                "state.dir /var/lib/agent-1");
        assertEquals(List.of(
                "line 4: check.load.timeout: the timeout is longer than the interval (1 min)",
                "line 6: check.load.max-attempts: \"0\" is not a whole number from 1 to 100",
                "line 7: check.procs.interval: at most 7 days: the server takes no check that runs less often",
                "line 8: check.procs.timeout: the timeout is longer than the interval (192 h)",
                "line 10: check.procs.max-attempts: \"101\" is not a whole number from 1 to 100",
                "line 11: check.a b.command: a key cannot contain blanks",
                "line 12: check.a b.interval: a key cannot contain blanks",
                "line 13: check.a b.system: a key cannot contain blanks",
                "check.procs.command: missing: the absolute path of the program to run, and its arguments"), problems);
    }

    @Test
    void aCheckWhoseProgramCannotRunYetIsAWarningAndTheOthersStay() throws IOException {
        Path notExecutable = dir.resolve("plain");
        Files.writeString(notExecutable, "echo");
        AgentConfig config = load("server = http://127.0.0.1:8181",
                "check.load.command = " + plugin, "check.load.interval = 60s", "check.load.system = web-1",
                "check.foo.command = /nonexistent/check_foo -w 1", "check.foo.interval = 60s",
                "check.foo.system = web-1",
                "check.plain.command = " + notExecutable, "check.plain.interval = 60s", "check.plain.system = web-1");
        assertEquals(List.of("load", "foo", "plain"), config.checks().stream().map(CheckSpec::name).toList());
        assertEquals(List.of("/nonexistent/check_foo", "-w", "1"), config.check("foo").orElseThrow().command());
        assertEquals(List.of(
                "line 5: check.foo.command: /nonexistent/check_foo does not exist or is not a file; the check reports"
                        + " UNKNOWN until it can run",
                "line 8: check.plain.command: " + notExecutable + " is not executable; the check reports UNKNOWN until"
                        + " it can run"), config.warnings(), "one warning per check that cannot run, in file order");
        assertEquals(List.of(), load("server = http://127.0.0.1:8181", "check.load.command = " + plugin,
                "check.load.interval = 60s", "check.load.system = web-1").warnings());
    }

    @Test
    void aWorkHandlerWhoseProgramCannotRunIsAProblem() throws IOException {
        assertEquals(List.of("line 2: work.probe.http.command: /nonexistent/probe does not exist or is not a file"),
                problems("server = http://127.0.0.1:8181", "work.probe.http.command = /nonexistent/probe"));
    }

    @Test
    void aWorkTypeIsOneTheServerTakes() throws IOException {
        assertEquals(List.of("line 2: work.echo.command: the work type \"echo\" must be 3 to 100 characters: two or"
                + " more lower-case words of letters, digits and '-', each starting with a letter, joined by '.', such"
                + " as probe.http", "line 3: work.Probe_http.command: the work type \"Probe_http\" must be 3 to 100"
                + " characters: two or more lower-case words of letters, digits and '-', each starting with a letter,"
                + " joined by '.', such as probe.http"), problems("server = http://127.0.0.1:8181",
                        "work.echo.command = " + plugin, "work.Probe_http.command = " + plugin,
                        "work.probe.http.command = " + plugin));
    }

    @Test
    void aCheckRunsAtLeastWeekly() throws IOException {
        assertEquals(List.of("line 3: check.backup.interval: at most 7 days: the server takes no check that runs less"
                + " often"), problems("server = http://127.0.0.1:8181", "check.backup.command = " + plugin,
                        "check.backup.interval = 8d", "check.backup.system = db-1"));
    }

    @Test
    void aSystemIsASlugAsTheServerTakesIt() throws IOException {
        String rule = "\" must be a slug of 1 to 63 lower-case letters, digits and dashes, starting and ending with a"
                + " letter or digit (a remote system's is peer/slug)";
        String longest = "a".repeat(63);
        assertEquals(List.of("line 2: facts.system: the system \"Web-1" + rule,
                "line 5: check.load.system: the system \"Web 1" + rule,
                "line 8: check.disk.system: the system \"-web" + rule,
                "line 11: check.swap.system: the system \"" + longest + "b" + rule,
                "line 14: check.ntp.system: the system \"fra/" + rule,
                "line 17: check.dns.system: the system \"" + rule),
                problems("server = http://127.0.0.1:8181", "facts.system = Web-1",
                        "check.load.command = " + plugin, "check.load.interval = 60s", "check.load.system = Web 1",
                        "check.disk.command = " + plugin, "check.disk.interval = 60s", "check.disk.system = -web",
                        "check.swap.command = " + plugin, "check.swap.interval = 60s",
                        "check.swap.system = " + longest + "b",
                        "check.ntp.command = " + plugin, "check.ntp.interval = 60s", "check.ntp.system = fra/",
                        "check.dns.command = " + plugin, "check.dns.interval = 60s", "check.dns.system ="));
        AgentConfig config = load("server = http://127.0.0.1:8181", "facts.system = 0",
                "check.load.command = " + plugin, "check.load.interval = 60s", "check.load.system = fra/db-1",
                "check.disk.command = " + plugin, "check.disk.interval = 60s", "check.disk.system = " + longest);
        assertEquals("0", config.factsSystem(), "a slug of one digit");
        assertEquals(List.of("fra/db-1", longest), config.checks().stream().map(CheckSpec::system).toList(),
                "a remote system's peer/slug, and a slug of 63 characters");
    }

    @Test
    void aMissingServerAndFileAreProblems() throws IOException {
        assertEquals(List.of("server: missing: the Hanse instance's URL, such as http://127.0.0.1:8181"), problems(""));
        InvalidConfigException missing = assertThrows(InvalidConfigException.class,
                () -> AgentConfig.load(dir.resolve("nothing.conf")));
        assertTrue(missing.problems().get(0).startsWith("cannot read the file"), missing.problems().get(0));
    }

    @Test
    void refusesCredentialsInTheServerUrl() throws IOException {
        assertEquals(List.of("line 1: server: the URL must not carry credentials, a query or a fragment"),
                problems("server = https://user:secret@hanse.example.org"));
    }

    @Test
    void plainHttpReachesThisHostOnlyUnlessTheNetworkIsTrusted() throws IOException {
        for (String local : List.of("http://127.0.0.1:8181", "http://127.1.2.3", "http://LocalHost:8181/hanse/",
                "http://[::1]:8181", "https://hanse.example.org")) {
            assertEquals(URI.create(local), load("server = " + local).server(), local);
        }
        String unprotected = "line 1: server: plain http:// to a host other than this one is not protected: anyone"
                + " on the network in between could take over the enrollment or make the agent drop observations the"
                + " server never took; use https://, or set server.insecure = true if that network is trusted";
        for (String remote : List.of("http://hanse.example.org:8181", "http://10.0.0.5", "http://127.0.0.1.example.org",
                "http://[::2]:8181")) {
            assertEquals(List.of(unprotected), problems("server = " + remote), remote);
        }
        assertEquals(URI.create("http://10.0.0.5:8181"),
                load("server = http://10.0.0.5:8181", "server.insecure = true").server());
        assertEquals(List.of(unprotected, "line 2: server.insecure: \"yes\" is neither true nor false"),
                problems("server = http://10.0.0.5:8181", "server.insecure = yes"));
        assertEquals(List.of(unprotected), problems("server = http://10.0.0.5:8181", "server.insecure = false"));
    }

    @Test
    void aCommentEndingInABackslashDoesNotContinue() throws IOException {
        AgentConfig config = load("# note: C:\\", "server = http://127.0.0.1:8181", "! and D:\\",
                "state.dir = /var/lib/agent-1");
        assertEquals(URI.create("http://127.0.0.1:8181"), config.server());
        assertEquals(Path.of("/var/lib/agent-1"), config.stateDir());
    }

    @Test
    void aLineThatIsNotUtf8IsNamed() throws IOException {
        Path file = dir.resolve("agent.conf");
        Files.write(file, "server = http://127.0.0.1:8181\n# caf\u00e9\n# caf".getBytes(StandardCharsets.UTF_8));
        Files.write(file, new byte[] {(byte) 0xe9, '\n'}, StandardOpenOption.APPEND);
        InvalidConfigException invalid = assertThrows(InvalidConfigException.class, () -> AgentConfig.load(file));
        assertEquals(List.of("line 3: not UTF-8"), invalid.problems());
    }

    private AgentConfig load(String... lines) throws IOException {
        Path file = dir.resolve("agent.conf");
        Files.write(file, List.of(lines));
        return AgentConfig.load(file);
    }

    private List<String> problems(String... lines) throws IOException {
        return assertThrows(InvalidConfigException.class, () -> load(lines)).problems();
    }
}
