package io.hanse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.agent.spool.Observation;
import io.hanse.agent.testing.FakeHanse;
import io.hanse.agent.testing.FakeHanse.Answer;
import io.hanse.agent.testing.Scripts;
import io.hanse.agent.testing.TestAgent;
import io.hanse.agent.testing.TestAgent.Outcome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: usage, enroll, check-now, status and validate-config as an operator sees them. */
class MainTest {

    @TempDir
    Path dir;

    private FakeHanse server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void usage() {
        Outcome help = TestAgent.run("", Map.of(), "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().startsWith("usage: hanse-agent <command>"), help.out());
        Outcome unknown = TestAgent.run("", Map.of(), "frobnicate");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("hanse-agent: unknown command frobnicate\nusage:"), unknown.err());
        assertEquals(2, TestAgent.run("", Map.of()).exitCode());
        assertEquals(2, TestAgent.run("", Map.of(), "status", "--config").exitCode());
        assertEquals(2, TestAgent.run("", Map.of(), "status", "--verbose").exitCode());
    }

    @Test
    void enrollsWithATokenFromStandardInputAndNeverPrintsIt() throws IOException {
        server = FakeHanse.start();
        Path config = TestAgent.config(dir, server.uri());
        Outcome enrolled = TestAgent.run(FakeHanse.TOKEN + "\n", Map.of(), "enroll", "--token", "-", "--config",
                config.toString());
        assertEquals(0, enrolled.exitCode(), enrolled.err());
        assertTrue(enrolled.out().startsWith("enrolled as agent web-1 with " + server.uri()), enrolled.out());
        assertFalse((enrolled.out() + enrolled.err()).contains(FakeHanse.TOKEN));
        assertTrue(Files.exists(dir.resolve("state/identity.json")));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("state"))));

        String key = Files.readString(dir.resolve("state/agent.key"));
        Outcome again = TestAgent.run("", Map.of("HANSE_ENROLL_TOKEN", FakeHanse.TOKEN), "enroll", "--config",
                config.toString());
        assertEquals(0, again.exitCode());
        assertEquals(key, Files.readString(dir.resolve("state/agent.key")), "enrolling again keeps the key");
    }

    @Test
    void enrollWithoutTokenOrWithAWrongOne() {
        server = FakeHanse.start();
        Path config = TestAgent.config(dir, server.uri());
        Outcome none = TestAgent.run("", Map.of(), "enroll", "--config", config.toString());
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("no token"), none.err());
        Outcome wrong = TestAgent.run("", Map.of("HANSE_ENROLL_TOKEN", "hanse_enroll_wrong"), "enroll", "--config",
                config.toString());
        assertEquals(1, wrong.exitCode());
        assertEquals("hanse-agent: enrollment refused: HTTP 401: unknown, expired or used token\n", wrong.err());
        assertFalse(Files.exists(dir.resolve("state/identity.json")));
    }

    @Test
    void aRefusalWhoseWordsHoldTheTokenShowsOnlyItsStatus() {
        server = FakeHanse.start();
        Path config = TestAgent.config(dir, server.uri());
        String withheld = "hanse-agent: enrollment refused: HTTP 401 (the rest is not shown: it holds the token)\n";
        Outcome shortToken = TestAgent.run("", Map.of("HANSE_ENROLL_TOKEN", "e"), "enroll", "--config",
                config.toString());
        assertEquals(1, shortToken.exitCode());
        assertEquals(withheld, shortToken.err(), "not: unknown, <token>xpir<token>d or us<token>d tok<token>n");
        Outcome notInIt = TestAgent.run("", Map.of("HANSE_ENROLL_TOKEN", "q"), "enroll", "--config",
                config.toString());
        assertEquals("hanse-agent: enrollment refused: HTTP 401: unknown, expired or used token\n", notInIt.err());

        // The token begins before the detail's cut at 300 characters, where replacing it would miss it.
        String detail = "x".repeat(280) + " " + FakeHanse.TOKEN + " is not valid";
        server.override("enroll", call -> Answer.of(401, "{\"detail\": \"" + detail + "\"}"));
        Outcome cut = TestAgent.enroll(config);
        assertEquals(1, cut.exitCode());
        assertEquals(withheld, cut.err(), "not the token's start where the detail is cut");
    }

    @Test
    void checkNowPrintsTheResultSendsItAndExitsWithItsStatus() throws IOException {
        server = FakeHanse.start();
        Path plugin = Scripts.write(dir.resolve("scripts"), "check_load",
                "echo 'LOAD WARNING - load average: 5.1, 4.2, 3.0|load1=5.1;5;10;0; load5=4.2;4;8;0;'\n"
                        + "echo 'busy: cc1plus'\nexit 1");
        Path config = TestAgent.config(dir, server.uri(), "check.load.command = " + plugin + " -w 5,4,3",
                "check.load.interval = 60s", "check.load.system = web-1");
        Outcome unenrolled = TestAgent.run("", Map.of(), "check-now", "load", "--config", config.toString());
        assertEquals(1, unenrolled.exitCode());
        assertTrue(unenrolled.out().endsWith("not sent: the agent is not enrolled\n"), unenrolled.out());

        assertEquals(0, TestAgent.enroll(config).exitCode());
        Outcome outcome = TestAgent.run("", Map.of(), "check-now", "load", "--config", config.toString());
        assertEquals(1, outcome.exitCode());
        List<String> lines = outcome.out().lines().toList();
        assertTrue(lines.get(0).matches("WARNING load: LOAD WARNING - load average: 5\\.1, 4\\.2, 3\\.0 "
                + "\\(exit 1, \\d+ ms\\)"), lines.get(0));
        assertEquals("  busy: cc1plus", lines.get(1));
        assertEquals("  load1 = 5.1  warn 5  crit 10  min 0", lines.get(2));
        assertEquals("  load5 = 4.2  warn 4  crit 8  min 0", lines.get(3));
        assertTrue(lines.get(4).startsWith("sent to " + server.uri() + " (boot "), lines.get(4));
        JsonNode sent = server.stored(Observation.RESULT).get(0);
        assertEquals(1, sent.path("seq").asLong());
        assertEquals("warning", sent.path("body").path("status").asText());
        assertEquals(List.of(), server.badSignatures());

        assertEquals(1, TestAgent.run("", Map.of(), "check-now", "load", "--config", config.toString()).exitCode());
        List<JsonNode> both = server.stored(Observation.RESULT);
        assertEquals(2, both.size(), "a second run is a new observation, not a duplicate of the first");
        assertTrue(both.get(1).path("bootEpoch").asLong() > both.get(0).path("bootEpoch").asLong());

        assertEquals(3, TestAgent.run("", Map.of(), "check-now", "disk", "--config", config.toString()).exitCode());
    }

    @Test
    void statusWorksWithoutADaemon() {
        Path config = TestAgent.config(dir, URI.create("http://127.0.0.1:9"));
        Outcome status = TestAgent.run("", Map.of(), "status", "--config", config.toString());
        assertEquals(1, status.exitCode());
        assertEquals(List.of("server      http://127.0.0.1:9", "agent       not enrolled (run hanse-agent enroll)",
                "daemon      has not run yet"), status.out().lines().toList());
    }

    @Test
    void validateConfigSumsUpOrListsEveryProblem() throws IOException {
        Path config = TestAgent.config(dir, URI.create("http://127.0.0.1:8181"));
        Outcome valid = TestAgent.run("", Map.of(), "validate-config", "--config", config.toString());
        assertEquals(0, valid.exitCode());
        assertEquals(config + " is valid: server http://127.0.0.1:8181, state in " + dir.resolve("state") + "\n"
                + "  checks: none\n  work:   none\n", valid.out());

        Files.writeString(config, "server = nowhere\ncheck.x.interval = 1m\n");
        Outcome invalid = TestAgent.run("", Map.of(), "validate-config", "--config", config.toString());
        assertEquals(1, invalid.exitCode());
        assertEquals(List.of(config + ": line 1: server: \"nowhere\" is not an http:// or https:// URL",
                config + ": check.x.command: missing: the absolute path of the program to run, and its arguments",
                config + ": check.x.system: missing: the system the check's results are about", "3 problems"),
                invalid.out().lines().toList());
        Outcome run = TestAgent.run("", Map.of(), "run", "--config", config.toString());
        assertEquals(1, run.exitCode(), "a configuration with problems never runs");
        String problems = String.join("\n", invalid.out().lines().limit(3).toList()) + "\n";
        assertEquals(problems, run.err(), "each problem once, on a line of its own");
        assertEquals("", run.out());
    }

    @Test
    void noCommandTakesASystemTheServerWouldRefuse() {
        Path plugin = Scripts.write(dir.resolve("scripts"), "check_load", "echo 'OK - load is low'");
        Path config = TestAgent.config(dir, URI.create("http://127.0.0.1:8181"), "check.load.command = " + plugin,
                "check.load.interval = 60s", "check.load.system = Web 1");
        String problem = config + ": line 5: check.load.system: the system \"Web 1\" must be a slug of 1 to 63"
                + " lower-case letters, digits and dashes, starting and ending with a letter or digit (a remote"
                + " system's is peer/slug)";

        Outcome invalid = TestAgent.run("", Map.of(), "validate-config", "--config", config.toString());
        assertEquals(1, invalid.exitCode(), invalid.out());
        assertEquals(List.of(problem, "1 problem"), invalid.out().lines().toList());
        Outcome enroll = TestAgent.enroll(config);
        assertEquals(1, enroll.exitCode(), "a configuration with problems enrolls nothing");
        assertEquals(problem + "\n", enroll.err());
        Outcome run = TestAgent.run("", Map.of(), "run", "--config", config.toString());
        assertEquals(1, run.exitCode(), "a configuration with problems never runs");
        assertEquals(problem + "\n", run.err());
    }

    @Test
    void aCheckWhoseProgramCannotRunYetIsWarnedOfAndReportsUnknown() throws IOException {
        server = FakeHanse.start();
        Path plugin = Scripts.write(dir.resolve("scripts"), "check_load", "echo 'OK - load is low'");
        Path config = TestAgent.config(dir, server.uri(), "check.load.command = " + plugin,
                "check.load.interval = 60s", "check.load.system = web-1",
                "check.foo.command = /nonexistent/check_foo", "check.foo.interval = 60s", "check.foo.system = web-1");
        String warning = config + ": warning: line 6: check.foo.command: /nonexistent/check_foo does not exist or is"
                + " not a file; the check reports UNKNOWN until it can run\n";

        Outcome valid = TestAgent.run("", Map.of(), "validate-config", "--config", config.toString());
        assertEquals(0, valid.exitCode(), "the configuration is valid; the check will report UNKNOWN");
        assertEquals(warning, valid.err());
        assertTrue(valid.out().contains("  checks: load, foo\n"), valid.out());

        Outcome enrolled = TestAgent.enroll(config);
        assertEquals(0, enrolled.exitCode(), enrolled.err());
        assertEquals(warning, enrolled.err(), "warned of once");

        Outcome foo = TestAgent.run("", Map.of(), "check-now", "foo", "--config", config.toString());
        assertEquals(3, foo.exitCode());
        assertTrue(foo.out().matches("UNKNOWN foo: /nonexistent/check_foo does not exist or is not a file "
                + "\\(did not start, \\d+ ms\\)\nsent to .*\n"), foo.out());
        JsonNode sent = server.stored(Observation.RESULT).get(0).path("body");
        assertEquals("unknown", sent.path("status").asText());
        assertTrue(sent.path("exitCode").isNull(), sent.toString());
        assertEquals("/nonexistent/check_foo does not exist or is not a file", sent.path("output").asText());
        assertEquals(0, TestAgent.run("", Map.of(), "check-now", "load", "--config", config.toString()).exitCode());
    }

    @Test
    void validateConfigNamesPlainHttpToAnotherHost() {
        Path config = TestAgent.config(dir, URI.create("http://hanse.example.org:8181"));
        Outcome invalid = TestAgent.run("", Map.of(), "validate-config", "--config", config.toString());
        assertEquals(1, invalid.exitCode());
        assertEquals(List.of(config + ": line 1: server: plain http:// to a host other than this one is not protected:"
                + " anyone on the network in between could take over the enrollment or make the agent drop observations"
                + " the server never took; use https://, or set server.insecure = true if that network is trusted",
                "1 problem"), invalid.out().lines().toList());
    }
}
