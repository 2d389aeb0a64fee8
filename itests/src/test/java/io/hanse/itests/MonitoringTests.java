package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.osgi.framework.Bundle;

/**
 * The monitoring plugin installed on the real distribution: agents' results become check states
 * with soft and hard problems, the kernel status of their systems, acknowledgements, downtimes,
 * history, the matrix and the problems list, over REST and the shell; and the real agent's
 * Nagios-plugin results go through it.
 */
public abstract class MonitoringTests extends AgentTests {

    static final String MONITORING_FEATURE = "hanse-monitoring";

    @Test
    public void agentsResultsBecomeCheckStatesProblemsHistoryAndTheMatrix() throws Exception {
        withMonitoring(() -> {
            String name = unique("mon");
            String web = name + "-web";
            String group = name + "-group";
            assertStatus(201, post("systems", fields("slug", web)));
            assertStatus(201, post("systems", fields("slug", group, "members", List.of(web))));
            SignedAgent agent = enrolled(name, web);

            assertEquals(1, report(agent, 1, web, "disk", "critical", null).path("accepted").asInt());
            JsonNode soft = assertStatus(200, get("monitoring/checks/" + web + "/disk")).path("check");
            assertEquals(soft.toString(), "critical", soft.path("status").asText());
            assertFalse(soft.path("hard").asBoolean());
            assertEquals("ok", soft.path("hardStatus").asText());
            report(agent, 2, web, "disk", "critical", null);
            report(agent, 3, web, "disk", "critical", null);
            JsonNode hard = assertStatus(200, get("monitoring/checks/" + web + "/disk"));
            assertTrue(hard.toString(), hard.path("check").path("hard").asBoolean());
            assertEquals(3, hard.path("check").path("attempt").asInt());
            assertEquals(1, hard.path("breaks7d").asInt());
            assertEquals("critical", await("the hard problem in the system's status, moments after the result", () -> {
                String own = assertStatus(200, get("systems/" + web + "/status")).path("own").asText();
                return own.equals("critical") ? own : null;
            }));
            assertEquals("critical", await("the hard change on the timeline", () -> {
                JsonNode events = assertStatus(200,
                        get("timeline/events?system=" + web + "&type=monitoring.state-changed")).path("events");
                return events.isEmpty() ? null : events.get(0).path("body").path("status").asText();
            }));
            assertEquals("sent again, taken once", 1, report(agent, 3, web, "disk", "critical", null)
                    .path("duplicates").asInt());

            report(agent, 4, web, "load", "ok", "\"not an array\"");
            JsonNode load = assertStatus(200, get("monitoring/checks/" + web + "/load")).path("check");
            assertTrue(load.toString(), load.path("perfdataError").asText().contains("not an array"));
            assertProblem(post("monitoring/checks/" + web + "/load/ack", fields("comment", "fine")), 409, "is ok");
            assertProblem(post("monitoring/checks/" + web + "/disk/ack", fields("sticky", true)), 400, "comment");

            JsonNode acked = assertStatus(200, post("monitoring/checks/" + web + "/disk/ack", fields("comment",
                    "disk ordered", "sticky", true)));
            assertEquals("disk ordered", acked.path("ack").path("comment").asText());
            JsonNode renewed = assertStatus(200, post("monitoring/checks/" + web + "/disk/ack", fields("comment",
                    "disk ordered, comes Monday", "sticky", true)));
            assertEquals("one's own acknowledgement is replaced", "disk ordered, comes Monday",
                    renewed.path("ack").path("comment").asText());
            assertEquals("acknowledged problems do not count", "ok",
                    assertStatus(200, get("systems/" + web + "/status")).path("own").asText());
            assertTrue(keys(problems(group, false)).contains(web + "/disk"));
            assertFalse(keys(problems(group, true)).contains(web + "/disk"));

            Instant now = Instant.now();
            assertProblem(post("monitoring/downtimes", fields("system", group, "comment", "backwards", "starts",
                    now.toString(), "ends", now.minusSeconds(60).toString())), 400, "must be after starts");
            assertProblem(post("monitoring/downtimes", fields("system", group, "comment", "bad", "recurrence",
                    "weekly mnday 02:00-04:00")), 400, "mnday");
            HttpResponse<String> scheduled = post("monitoring/downtimes", fields("system", group, "members", true,
                    "check", "load", "comment", "maintenance", "ends", now.plusSeconds(3600).toString()));
            JsonNode downtime = assertStatus(201, scheduled);
            assertTrue(downtime.toString(), downtime.path("active").asBoolean());
            String shown = "monitoring/downtimes/" + downtime.path("id").asText();
            assertEquals(apiUri(shown).toString(), scheduled.headers().firstValue("Location").orElse(null));
            assertEquals(downtime, assertStatus(200, get(shown)));
            JsonNode checks = assertStatus(200, get("monitoring/checks/" + web));
            assertEquals(downtime.path("id").asText(), StreamSupport.stream(checks.spliterator(), false)
                    .filter(c -> c.path("check").asText().equals("load")).findFirst().orElseThrow()
                    .path("downtime").asText());

            JsonNode history = assertStatus(200, get("monitoring/checks/" + web + "/disk/history"));
            List<String> seen = StreamSupport.stream(history.spliterator(), false)
                    .map(entry -> entry.path("kind").asText()).toList();
            assertTrue(seen.toString(), seen.containsAll(List.of("acknowledged", "hard", "soft")));
            JsonNode availability = assertStatus(200, get("monitoring/checks/" + web + "/disk/availability"));
            assertTrue(availability.toString(), availability.path("percent").path("critical").asDouble() > 0);

            JsonNode matrix = assertStatus(200, get("monitoring/matrix?aggregate=" + group));
            assertEquals(List.of("disk", "load"), texts(matrix.path("columns")));
            JsonNode row = StreamSupport.stream(matrix.path("rows").spliterator(), false)
                    .filter(r -> r.path("system").asText().equals(web)).findFirst().orElseThrow();
            assertEquals("critical", row.path("cells").path("disk").path("status").asText());
            assertTrue(row.path("cells").path("disk").path("acknowledged").asBoolean());
            assertTrue(row.path("cells").path("load").path("downtime").asBoolean());
            JsonNode disk = row.path("cells").path("disk");
            assertTrue(disk.toString(), disk.path("lastResultAgeSeconds").isIntegralNumber()
                    && disk.path("lastResultAgeSeconds").asLong() <= disk.path("ageSeconds").asLong());
            JsonNode members = assertStatus(200, get("monitoring/matrix/members?aggregate=" + group));
            assertEquals(List.of(web), texts(members.path("columns")));
            assertEquals(1, members.path("rows").size());
            assertEquals(group, members.path("rows").get(0).path("system").asText());
            JsonNode member = members.path("rows").get(0).path("cells").path(web);
            assertEquals(member.toString(), "critical", member.path("status").asText());
            assertEquals(2, member.path("checks").asInt());
            assertEquals(1, member.path("problems").asInt());
            assertEquals("the acknowledged problem is handled", 0, member.path("unhandled").asInt());
            assertFalse(member.toString(), member.has("oldestUnhandledSeconds"));
            assertEquals("a selector no system matches leaves no aggregate", 0, assertStatus(200,
                    get("monitoring/matrix/members?aggregate=" + group + "&selector=" + name)).path("rows").size());
            assertProblem(get("monitoring/matrix/members?selector=" + encode("tier in (")), 400, "invalid selector");

            assertTrue(shell("monitoring:problems --aggregate " + group), shell("monitoring:problems --aggregate "
                    + group).contains("CRITICAL ACK"));
            String bySystems = shell("monitoring:matrix --aggregate " + group);
            assertTrue(bySystems, bySystems.matches("(?s).*\\n" + Pattern.quote(web)
                    + " +\\| critical A \\d+[smhd]\\w* +\\| .*"));
            String tooMany = messages(shellFailure("monitoring:check-policy --max-attempts 101 " + web + " disk"));
            assertTrue(tooMany, tooMany.contains("--max-attempts: between 1 and 100, not 101"));
            String byMembers = shell("monitoring:matrix --members --aggregate " + group);
            assertTrue(byMembers, byMembers.contains(group) && byMembers.contains("CRIT 1/2 H"));
            assertEquals("--json prints what REST answers", members,
                    JSON.readTree(shell("monitoring:matrix --members --json --aggregate " + group)));
            assertEquals(List.of("disk", "load"), texts(JSON.readTree(shell("monitoring:matrix --json --aggregate "
                    + group)).path("columns")));
            String record = shell("monitoring:history " + web + " disk");
            assertTrue(record, record.contains("broke once in 7 days") && record.contains("hard"));
            shell("monitoring:ack --remove " + web + " disk");
            assertEquals("critical", assertStatus(200, get("systems/" + web + "/status")).path("own").asText());
            assertTrue(shell("monitoring:ack --expires PT1H " + web + " disk 'on it'").contains("Acknowledged"));
            assertTrue("one's own, replaced", shell("monitoring:ack --expires PT2H " + web + " disk 'on it, longer'")
                    .contains("Acknowledged"));
            assertTrue(shell("monitoring:downtime-add --duration PT1H --check disk " + web + " 'maintenance'")
                    .contains("Scheduled downtime"));
            String both = messages(shellFailure("monitoring:downtime-add --duration PT2H --recurrence"
                    + " 'weekly sat 02:00-04:00' " + web + " 'maintenance'"));
            assertTrue(both, both.contains("--duration is for a one-off downtime"));
            String endless = messages(shellFailure("monitoring:downtime-add " + web + " 'maintenance'"));
            assertTrue(endless, endless.contains("a one-off downtime needs --ends or --duration"));
            String local = shell("monitoring:downtime-add --starts 2030-06-01T22:00 --ends 2030-06-02T02:00"
                    + " --zone Europe/Berlin --check load " + web + " 'at night in Berlin'");
            assertTrue(local, local.contains("2030-06-01T20:00:00Z to 2030-06-02T00:00:00Z"));

            assertProblem(SignedAgent.send(agent.signed("POST", "agents/self/observations",
                    batch(5, group, "disk", "ok", null))), 403, "may not report on system '" + group + "'");

            // While the plugin is stopped, its results wait for it on the agent, which is told to send them again.
            Bundle plugin = Stream.of(bundleContext.getBundles())
                    .filter(bundle -> bundle.getSymbolicName().equals("io.hanse.monitoring")).findFirst().orElseThrow();
            plugin.stop();
            assertProblem(SignedAgent.send(agent.signed("POST", "agents/self/observations",
                    batch(6, web, "disk", "critical", null))), 503, "io.hanse.monitoring, which is not running");
            plugin.start();
            awaitStatus("monitoring/problems", 200);
            assertEquals(1, report(agent, 6, web, "disk", "critical", null).path("accepted").asInt());

            realAgentResults(web);

            assertTrue(shell("monitoring:check-policy --max-attempts 4 " + web + " load").contains("hard after 4"));
            assertEquals(4, assertStatus(200, get("monitoring/checks/" + web + "/load")).path("check")
                    .path("policyMaxAttempts").asInt());
            assertTrue(shell("monitoring:check-policy --clear " + web + " load").contains("Cleared the policy"));
            assertEquals(0, assertStatus(200, get("monitoring/checks/" + web + "/load")).path("check")
                    .path("policyMaxAttempts").asInt());
            assertTrue(shell("monitoring:check-remove " + web + " load").contains("Removed check load"));
            assertProblem(get("monitoring/checks/" + web + "/load"), 404, "has no check 'load'");
            assertStatus(204, delete("monitoring/checks/" + web + "/disk"));
            assertEquals(List.of("boom", "fine"), texts(assertStatus(200, get("monitoring/matrix?aggregate=" + group))
                    .path("columns")));
            assertEquals(2, assertStatus(200, get("timeline/events?system=" + web + "&type=monitoring.check-removed"))
                    .path("events").size());
            assertTrue(keys(problems(null, false)).contains(web + "/boom"));
            assertStatus(204, delete("systems/" + web));
            await("a deleted system's checks forgotten", () -> keys(problems(null, false)).contains(web + "/boom")
                    ? null : true);
        });
    }

    @Test
    public void aReviewGoesFromProblemsToMarksToAnOutcomeThatTheNextPassStartsFrom() throws Exception {
        withMonitoring(() -> {
            awaitStatus("monitoring/reviews", 200);
            String name = unique("rev");
            String a = name + "-a";
            String b = name + "-b";
            String customer = name + "-customer";
            assertStatus(201, post("systems", fields("slug", a)));
            assertStatus(201, post("systems", fields("slug", b)));
            assertStatus(201, post("systems", fields("slug", customer, "members", List.of(a, b))));
            SignedAgent onA = enrolled(name + "-1", a);
            SignedAgent onB = enrolled(name + "-2", b);
            hard(onA, 1, a, "disk", "critical");
            hard(onB, 1, b, "load", "warning");
            hard(onB, 2, b, "ntp", "ok");

            assertProblem(post("monitoring/reviews", fields("name", name, "system", customer, "selector", "env=prod")),
                    400, "exactly one");
            assertStatus(201, post("monitoring/reviews", fields("name", name, "system", customer, "everyDays", 7)));
            assertProblem(post("monitoring/reviews", fields("name", name, "system", customer)), 409, "already");

            JsonNode first = assertStatus(200, post("monitoring/reviews/" + name + "/start", Map.of()));
            assertEquals(Map.of(a + "/disk", "new", b + "/load", "new"), groups(first));
            assertEquals(1, first.path("items").get(0).path("breaks7d").asInt());
            assertEquals("critical", first.path("items").get(0).path("statusNow").asText());
            assertFalse(first.path("items").get(0).path("acknowledged").asBoolean(true));
            assertProblem(post("monitoring/reviews/" + name + "/start", Map.of()), 409, "in progress");
            assertEquals("action-needed", assertStatus(200, put("monitoring/reviews/" + name + "/items/" + a
                    + "/disk", fields("mark", "action-needed", "note", "order a disk"))).path("mark").asText());
            assertProblem(put("monitoring/reviews/" + name + "/items/" + a + "/disk", fields("mark", "ignore")), 400,
                    "looked-at");
            assertProblem(put("monitoring/reviews/" + name + "/items/" + a + "/ntp", fields("mark", "noise")), 404,
                    "no item");
            assertTrue(shell("monitoring:review-mark " + name + " " + b + " load noise 'threshold too low'")
                    .contains("noise"));
            String closed = shell("monitoring:review-close " + name + " 'disk ordered; load threshold to raise'");
            assertTrue(closed, closed.contains("closed") && closed.contains("action-needed"));
            JsonNode event = await("the review's outcome on the timeline", () -> {
                JsonNode events = assertStatus(200, get("timeline/events?system=" + customer
                        + "&type=monitoring.review-closed")).path("events");
                return events.isEmpty() ? null : events.get(0).path("body");
            });
            assertEquals("disk ordered; load threshold to raise", event.path("outcome").asText());
            assertEquals(1, event.path("marks").path("noise").asInt());

            hard(onA, 2, a, "disk", "ok");
            String second = shell("monitoring:review-start " + name);
            assertTrue(second, second.contains("pass 2") && second.contains("resolved")
                    && second.contains("still-open"));
            JsonNode shown = assertStatus(200, get("monitoring/reviews/" + name));
            assertEquals(Map.of(a + "/disk", "resolved", b + "/load", "still-open"), groups(shown));
            JsonNode load = StreamSupport.stream(shown.path("items").spliterator(), false)
                    .filter(item -> item.path("check").asText().equals("load")).findFirst().orElseThrow();
            assertEquals("noise", load.path("previousMark").asText());
            assertEquals("threshold too low", load.path("previousNote").asText());
            JsonNode newest = assertStatus(200, get("monitoring/reviews/" + name + "/passes?limit=1"));
            assertEquals(2, newest.path("passes").get(0).path("number").asInt());
            assertTrue(newest.toString(), newest.path("passes").get(0).path("closed").isMissingNode());
            assertEquals(2, newest.path("next").asInt());
            JsonNode older = assertStatus(200, get("monitoring/reviews/" + name + "/passes?limit=1&before="
                    + newest.path("next").asInt()));
            assertTrue(older.toString(), older.path("next").isMissingNode());
            JsonNode past = older.path("passes").get(0);
            assertEquals(1, past.path("number").asInt());
            assertEquals("disk ordered; load threshold to raise", past.path("outcome").asText());
            assertEquals("user:admin", past.path("closedBy").asText());
            assertEquals(2, past.path("groups").path("new").asInt());
            assertEquals(1, past.path("marks").path("action-needed").asInt());
            assertEquals(1, past.path("marks").path("noise").asInt());
            assertTrue(past.toString(), past.path("items").isMissingNode());
            JsonNode firstPass = assertStatus(200, get("monitoring/reviews/" + name + "/passes/1"));
            assertEquals(Map.of(a + "/disk", "new", b + "/load", "new"), groups(firstPass));
            JsonNode disk = StreamSupport.stream(firstPass.path("items").spliterator(), false)
                    .filter(item -> item.path("check").asText().equals("disk")).findFirst().orElseThrow();
            assertEquals("action-needed", disk.path("mark").asText());
            assertEquals("order a disk", disk.path("note").asText());
            assertEquals("critical", disk.path("status").asText());
            assertEquals("ok", disk.path("statusNow").asText());
            assertProblem(get("monitoring/reviews/" + name + "/passes/3"), 404, "no pass 3");
            String shownFirst = shell("monitoring:review-show --pass 1 " + name);
            assertTrue(shownFirst, shownFirst.contains("pass 1") && shownFirst.contains("disk ordered")
                    && shownFirst.contains("order a disk"));
            String passes = shell("monitoring:review-passes " + name);
            assertTrue(passes, passes.contains("in progress") && passes.contains("action-needed 1, noise 1"));
            JsonNode noted = assertStatus(200, put("monitoring/reviews/" + name + "/items/" + b + "/load",
                    fields("note", "raised to 8")));
            assertTrue(noted.toString(), noted.path("mark").isMissingNode());
            assertEquals("raised to 8", noted.path("note").asText());
            assertEquals("noise", noted.path("previousMark").asText());
            String cleared = shell("monitoring:review-mark " + name + " " + b + " load none");
            assertTrue(cleared, cleared.contains("Cleared the mark of " + b + "/load"));
            JsonNode listed = StreamSupport.stream(assertStatus(200, get("monitoring/reviews")).spliterator(), false)
                    .filter(review -> review.path("name").asText().equals(name)).findFirst().orElseThrow();
            assertTrue(listed.toString(), listed.path("inProgress").asBoolean());
            assertFalse(listed.path("overdue").asBoolean());
            assertTrue(shell("monitoring:review-list").contains(name));
            assertEquals(2, assertStatus(200, post("monitoring/reviews/" + name + "/close", fields("outcome",
                    "fine"))).path("last").path("number").asInt());

            assertEquals(14, assertStatus(200, put("monitoring/reviews/" + name + "/schedule", fields("everyDays",
                    14))).path("everyDays").asInt());
            assertProblem(put("monitoring/reviews/" + name + "/schedule", Map.of()), 400,
                    "everyDays or schedule is required");
            assertProblem(put("monitoring/reviews/" + name + "/schedule", fields("everyDays", 7, "schedule",
                    "weekly mon 10:00")), 400, "not both");
            JsonNode mondays = assertStatus(200, put("monitoring/reviews/" + name + "/schedule", fields("schedule",
                    "Weekly MON 10:00", "zone", "Europe/Berlin")));
            assertEquals("weekly mon 10:00", mondays.path("schedule").asText());
            assertEquals("Europe/Berlin", mondays.path("zone").asText());
            assertTrue(mondays.toString(), mondays.path("everyDays").isMissingNode());
            ZonedDateTime due = Instant.parse(mondays.path("due").asText()).atZone(ZoneId.of("Europe/Berlin"));
            assertEquals(mondays.toString(), DayOfWeek.MONDAY, due.getDayOfWeek());
            assertEquals(mondays.toString(), LocalTime.of(10, 0), due.toLocalTime());
            String scheduled = shell("monitoring:review-schedule " + name + " 3");
            assertTrue(scheduled, scheduled.contains("every 3 days"));
            String monthly = name + "-monthly";
            assertProblem(post("monitoring/reviews", fields("name", monthly, "system", customer, "schedule",
                    "cron 0 10 30 2 *")), 400, "never be due");
            assertProblem(post("monitoring/reviews", fields("name", monthly, "system", customer, "schedule",
                    "weekly mon 10:00", "zone", "Europe/Bonn")), 400, "zone: Europe/Bonn");
            String added = shell("monitoring:review-add --system " + customer + " --schedule 'cron 0 10 * * mon#1'"
                    + " --zone Europe/Berlin " + monthly);
            assertTrue(added, added.contains("(cron 0 10 * * mon#1 in Europe/Berlin)"));
            String list = shell("monitoring:review-list");
            assertTrue(list, list.contains("cron 0 10 * * mon#1 in Europe/Berlin"));
            JsonNode shownMonthly = assertStatus(200, get("monitoring/reviews/" + monthly));
            assertEquals("cron 0 10 * * mon#1", shownMonthly.path("schedule").asText());
            assertTrue(shownMonthly.toString(), Instant.parse(shownMonthly.path("due").asText())
                    .atZone(ZoneId.of("Europe/Berlin")).getDayOfMonth() <= 7);
            assertStatus(204, delete("monitoring/reviews/" + monthly));
            shell("monitoring:review-start " + name);
            assertProblem(delete("monitoring/reviews/" + name), 409, "in progress");
            shell("monitoring:review-close " + name + " 'nothing new'");
            String removed = shell("monitoring:review-remove " + name);
            assertTrue(removed, removed.contains("Removed review " + name));
            assertProblem(get("monitoring/reviews/" + name), 404, "no review");
            assertProblem(delete("monitoring/reviews/" + name), 404, "no review");
            assertEquals("user:admin", await("the removal on the timeline", () -> {
                JsonNode events = assertStatus(200, get("timeline/events?system=" + customer
                        + "&type=monitoring.review-removed")).path("events");
                return events.isEmpty() ? null : events.get(0).path("body").path("by").asText();
            }));
            assertStatus(201, post("monitoring/reviews", fields("name", name, "system", customer)));
            assertStatus(204, delete("monitoring/reviews/" + name));
            assertProblem(get("monitoring/reviews/" + name), 404, "no review");
        });
    }

    private static Map<String, String> groups(JsonNode review) {
        Map<String, String> groups = new TreeMap<>();
        review.path("items").forEach(item -> groups.put(item.path("system").asText() + "/"
                + item.path("check").asText(), item.path("group").asText()));
        return groups;
    }

    /** Reports a result the agent wants hard at once. */
    private static void hard(SignedAgent agent, long seq, String system, String check, String status) {
        String batch = batch(seq, system, check, status, null).replace("\"intervalSeconds\":60",
                "\"intervalSeconds\":60,\"maxAttempts\":1");
        assertEquals(1, assertStatus(200, SignedAgent.send(agent.signed("POST", "agents/self/observations", batch)))
                .path("accepted").asInt());
    }

    /** Runs a test with the plugin installed, as an owner installs it, and uninstalls it after. */
    private void withMonitoring(Steps steps) throws Exception {
        awaitHealthy();
        features.installFeature(MONITORING_FEATURE, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        try {
            awaitStatus("monitoring/problems", 200);
            steps.run();
        } finally {
            features.uninstallFeature(MONITORING_FEATURE, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            awaitStatus("monitoring/problems", 404);
        }
    }

    /** What a test does with the plugin installed. */
    @FunctionalInterface
    private interface Steps {
        void run() throws Exception;
    }

    /** The real agent runs a failing Nagios plugin: three results later it is a hard problem. */
    private void realAgentResults(String web) throws Exception {
        Path state = Files.createTempDirectory("hanse-agent");
        Path config = state.resolve("agent.conf");
        Files.writeString(config, String.join("\n", "server = " + apiUri("").toString().replace("/api/v1/", ""),
                "state.dir = " + state.resolve("state"), "facts.system = " + web,
                check("boom", "check_dummy 2 boom", "1s", web), check("fine", "check_load -w 50,40,30 -c 100,80,60",
                        "1s", web)) + "\n");
        Process enroll = agent("enroll", "--config", config.toString(), "--token", "-");
        try (var stdin = enroll.getOutputStream()) {
            stdin.write((enrollmentToken(unique("mon-agent"), web) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertTrue("enrolled", enroll.waitFor(60, TimeUnit.SECONDS));
        assertEquals(new String(enroll.getInputStream().readAllBytes(), StandardCharsets.UTF_8), 0,
                enroll.exitValue());
        Process run = agent("run", "--config", config.toString());
        try {
            JsonNode boom = await("check_dummy's critical turning hard", () -> StreamSupport.stream(
                    assertStatus(200, get("monitoring/checks/" + web)).spliterator(), false)
                    .filter(c -> c.path("check").asText().equals("boom") && c.path("hard").asBoolean())
                    .findFirst().orElse(null));
            assertEquals("critical", boom.path("status").asText());
            assertEquals("boom", boom.path("output").asText().replace("CRITICAL: ", ""));
            JsonNode fine = assertStatus(200, get("monitoring/checks/" + web + "/fine")).path("check");
            assertEquals("ok", fine.path("status").asText());
            assertTrue(fine.toString(), fine.path("perfdata").get(0).path("label").asText().startsWith("load"));
            assertTrue(fine.toString(), fine.path("durationMs").isIntegralNumber()
                    && fine.path("durationMs").asLong() >= 0);
            assertFalse(fine.toString(), fine.path("timedOut").asBoolean(true));
        } finally {
            run.destroy();
            if (!run.waitFor(30, TimeUnit.SECONDS)) {
                run.destroyForcibly();
            }
        }
    }

    /** The problems of an aggregate and its members, or with {@code group} null of every system. */
    private static List<JsonNode> problems(String group, boolean unhandled) {
        return StreamSupport.stream(assertStatus(200, get("monitoring/problems?unhandled=" + unhandled
                + (group == null ? "" : "&aggregate=" + group))).spliterator(), false).toList();
    }

    private static List<String> keys(List<JsonNode> checks) {
        return checks.stream().map(c -> c.path("system").asText() + "/" + c.path("check").asText()).toList();
    }

    private static JsonNode report(SignedAgent agent, long seq, String system, String check, String status,
            String perfdata) {
        return assertStatus(200, SignedAgent.send(agent.signed("POST", "agents/self/observations",
                batch(seq, system, check, status, perfdata))));
    }

    private static String batch(long seq, String system, String check, String status, String perfdata) {
        Map<String, Object> body = new LinkedHashMap<>(fields("check", check, "status", status,
                "output", status.toUpperCase() + " - itest", "intervalSeconds", 60));
        String json = toJson(body);
        if (perfdata != null) {
            json = json.substring(0, json.length() - 1) + ",\"perfdata\":" + perfdata + "}";
        }
        return "{\"bootEpoch\":1,\"observations\":[{\"seq\":" + seq + ",\"type\":\"monitoring.result\",\"system\":\""
                + system + "\",\"time\":\"" + Instant.now() + "\",\"body\":" + json + "}]}";
    }
}
