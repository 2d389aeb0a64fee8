package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.Test;

/**
 * Systems, their members and the timeline, driven over REST and the shell as users do. The tests
 * share one container, so each names its systems with a prefix of its own and never relies on
 * another test's systems or events.
 */
public abstract class SystemTimelineTests extends SecurityTests {

    /** Events of the tests that set their own time lie in this year, far from the kernel's records. */
    private static final String IN_2021 = "from=2021-01-01T00:00:00Z&until=2022-01-01T00:00:00Z";
    /** One link of a {@code Link} header that names the next page; group 1 is its path below {@code /api/v1/}. */
    private static final Pattern NEXT_LINK = Pattern.compile("\\s*<[^>]*/api/v1/([^>]*)>\\s*;.*rel=\"?next\"?.*");

    // Systems

    @Test
    public void systemsAreCreatedReadReplacedRenamedAndDeleted() throws Exception {
        awaitHealthy();
        String p = unique("crud");
        String db = p + "-db";
        String api = p + "-api";
        String orders = p + "-orders";
        String shop = p + "-shop";
        create(fields("slug", db));
        Map<String, Object> full = fields(
                "slug", api,
                "name", "Orders API",
                "kind", "service",
                "labels", Map.of("suite", p, "tier", "api"),
                "description", "Takes the shop's orders",
                "owners", List.of("team-orders", "alice"),
                "links", List.of(fields("title", "Runbook", "url", "https://wiki.example.org/orders",
                        "kind", "runbook")),
                "rules", fields("text", "Deploy on weekdays only", "mayTouch", List.of("team-orders"),
                        "escalateTo", List.of("alice", "bob")),
                "members", List.of(db),
                "selector", null);

        HttpResponse<String> response = post("systems", full);
        JsonNode created = assertStatus(201, response);
        assertTrue(response.headers().firstValue("Location").orElse(""),
                response.headers().firstValue("Location").orElse("").endsWith("/api/v1/systems/" + api));
        String id = created.path("id").asText();
        assertTrue(id, id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
        JsonNode sent = JSON.valueToTree(full);
        for (String field : List.of("slug", "name", "kind", "labels", "description", "owners", "links", "rules",
                "members")) {
            assertEquals(field, sent.path(field), created.path(field));
        }
        assertFalse("a static system has no selector", created.path("selector").isTextual());
        assertEquals("no-data", created.path("status").asText());
        assertEquals(created.path("created"), created.path("updated"));
        assertEquals(created, system(api));

        create(fields("slug", shop, "kind", "product", "members", List.of(api)));

        // A second system with a slug in use is refused, and so is a rename onto one: nothing changes.
        assertProblem(post("systems", fields("slug", api)), 409, "system '" + api + "' already exists");
        assertProblem(put("systems/" + api, fields("slug", shop)), 409, "system '" + shop + "' already exists");
        assertEquals(created, system(api));
        assertEquals(List.of(api), texts(system(shop).path("members")));

        // PUT replaces the whole system, here under a new slug: what it leaves out is gone, the id stays.
        JsonNode replaced = assertStatus(200, put("systems/" + api, fields(
                "slug", orders,
                "name", "Orders",
                "kind", "service",
                "labels", Map.of("suite", p, "tier", "api", "version", "2"),
                "members", List.of(db))));
        assertEquals(id, replaced.path("id").asText());
        assertEquals(orders, replaced.path("slug").asText());
        assertEquals("Orders", replaced.path("name").asText());
        assertEquals(JSON.valueToTree(Map.of("suite", p, "tier", "api", "version", "2")), replaced.path("labels"));
        assertEquals("", replaced.path("description").asText());
        assertEquals(0, replaced.path("owners").size());
        assertEquals(0, replaced.path("links").size());
        assertEquals(JSON.valueToTree(fields("text", "", "mayTouch", List.of(), "escalateTo", List.of())),
                replaced.path("rules"));
        assertEquals(List.of(db), texts(replaced.path("members")));
        assertEquals(created.path("created"), replaced.path("created"));
        assertTrue(replaced.toString(), instant(replaced.path("updated")).isAfter(instant(created.path("created"))));
        assertEquals(replaced, system(orders));
        assertProblem(get("systems/" + api), 404, "no system '" + api + "'");

        // Whoever aggregates the system now lists it under its new slug.
        assertEquals(List.of(orders), texts(system(shop).path("members")));
        JsonNode members = assertStatus(200, get("systems/" + shop + "/members"));
        assertEquals(1, members.size());
        assertEquals(orders, members.get(0).path("slug").asText());
        assertEquals("Orders", members.get(0).path("name").asText());
        assertEquals("service", members.get(0).path("kind").asText());
        assertEquals("no-data", members.get(0).path("status").asText());
        assertTrue(members.get(0).path("explicit").asBoolean());
        assertFalse(members.get(0).path("selected").asBoolean());
        assertEquals(List.of(shop), slugs(assertStatus(200, get("systems/" + orders + "/aggregates"))));
        assertEquals(List.of(orders), slugs(assertStatus(200, get("systems/" + db + "/aggregates"))));

        // The kernel records the rename on the system's timeline.
        JsonNode renamed = awaitEvent(orders, "system.updated",
                event -> api.equals(event.path("body").path("previousSlug").asText()));
        assertEquals(id, renamed.path("systemId").asText());
        assertEquals(orders, renamed.path("system").asText());
        assertEquals("kernel", renamed.path("source").path("kind").asText());
        assertEquals("Orders", renamed.path("body").path("name").asText());

        assertStatus(204, delete("systems/" + orders));
        assertProblem(get("systems/" + orders), 404, "no system '" + orders + "'");
        assertProblem(delete("systems/" + orders), 404, "no system '" + orders + "'");
        assertEquals(0, system(shop).path("members").size());
        assertEquals(0, assertStatus(200, get("systems/" + db + "/aggregates")).size());
    }

    @Test
    public void malformedOrUnknownSystemsAreRefusedAndNothingIsStored() throws Exception {
        awaitHealthy();
        String p = unique("bad");
        String ghost = p + "-ghost";
        String tried = p + "-tried";
        int before = assertStatus(200, get("systems")).size();

        assertProblem(post("systems", fields("slug", "Not A Slug")), 400, "slug 'Not A Slug' must be");
        assertProblem(post("systems", fields("name", "no slug")), 400, "slug is required");
        assertProblem(post("systems", fields("slug", tried, "members", List.of(ghost))), 404,
                "no system '" + ghost + "'");
        assertProblem(post("systems", fields("slug", tried, "members", List.of(tried))), 400,
                "cannot be its own member");
        assertProblem(post("systems", fields("slug", tried, "labels", Map.of("tier", "web farm"))), 400,
                "label 'tier' has value 'web farm'");
        assertProblem(post("systems", fields("slug", tried, "links",
                List.of(fields("title", "Files", "url", "ftp://files.example.org")))), 400,
                "needs an absolute http, https or mailto url");
        assertProblem(post("systems", fields("slug", tried, "colour", "blue")), 400, "Unknown field 'colour'");
        assertProblem(put("systems/" + ghost, fields("slug", ghost)), 404, "no system '" + ghost + "'");
        assertProblem(put("systems/" + ghost + "/members/" + ghost), 404, "no system '" + ghost + "'");
        assertProblem(get("systems/" + ghost + "/members"), 404, "no system '" + ghost + "'");
        assertProblem(get("systems/" + ghost + "/members/transitive"), 404, "no system '" + ghost + "'");
        assertProblem(get("systems/" + ghost + "/aggregates"), 404, "no system '" + ghost + "'");

        assertProblem(get("systems/" + tried), 404, "no system '" + tried + "'");
        assertEquals(before, assertStatus(200, get("systems")).size());
    }

    @Test
    public void aggregatesHaveExplicitAndSelectedMembers() throws Exception {
        awaitHealthy();
        String p = unique("agg");
        String db = p + "-db";
        String web1 = p + "-web1";
        String web2 = p + "-web2";
        String web3 = p + "-web3";
        String shop = p + "-shop";
        String web = p + "-web";
        create(fields("slug", db, "kind", "host", "labels", Map.of("suite", p, "tier", "db")));
        create(fields("slug", web1, "kind", "host", "labels", Map.of("suite", p, "tier", "web")));
        create(fields("slug", web2, "kind", "host", "labels", Map.of("suite", p, "tier", "web")));

        // A static aggregate has the members it lists, in the order it lists them.
        JsonNode shopCreated = create(fields("slug", shop, "kind", "product", "labels", Map.of("suite", p),
                "members", List.of(web1, db)));
        assertEquals(List.of(web1, db), texts(shopCreated.path("members")));
        JsonNode shopMembers = assertStatus(200, get("systems/" + shop + "/members"));
        assertEquals(List.of(db, web1), slugs(shopMembers));
        for (JsonNode member : shopMembers) {
            assertTrue(member.toString(), member.path("explicit").asBoolean());
            assertFalse(member.toString(), member.path("selected").asBoolean());
            assertEquals("host", member.path("kind").asText());
        }

        // A dynamic aggregate has what its selector chooses, besides what it lists.
        JsonNode dynamic = create(fields("slug", web, "kind", "tier", "labels", Map.of("suite", p),
                "selector", "tier = web, suite=" + p, "members", List.of(db)));
        assertEquals("suite=" + p + ",tier=web", dynamic.path("selector").asText());
        assertEquals(List.of(db), texts(dynamic.path("members")));
        JsonNode webMembers = assertStatus(200, get("systems/" + web + "/members"));
        assertEquals(List.of(db, web1, web2), slugs(webMembers));
        assertEquals(List.of(true, false, false), flags(webMembers, "explicit"));
        assertEquals(List.of(false, true, true), flags(webMembers, "selected"));

        // A system created later that matches is chosen at once; one relabelled away leaves.
        create(fields("slug", web3, "kind", "host", "labels", Map.of("suite", p, "tier", "web")));
        assertEquals(List.of(db, web1, web2, web3), memberSlugs(web));
        assertStatus(200, put("systems/" + web2, fields("slug", web2, "kind", "host",
                "labels", Map.of("suite", p, "tier", "db"))));
        assertEquals(List.of(db, web1, web3), memberSlugs(web));
        assertEquals(0, assertStatus(200, get("systems/" + web2 + "/aggregates")).size());
        assertEquals(List.of(shop, web), slugs(assertStatus(200, get("systems/" + db + "/aggregates"))));
        JsonNode left = awaitEvent(web, "system.members-changed",
                event -> texts(event.path("body").path("removedMembers")).equals(List.of(web2)));
        assertEquals(web, left.path("system").asText());
        awaitEvent(web, "system.members-changed",
                event -> texts(event.path("body").path("addedMembers")).equals(List.of(web3)));

        // Listing filters by kind and selector; the preview counts everything and lists up to the limit.
        assertEquals(List.of(web1, web3), slugs(assertStatus(200,
                get("systems?selector=" + encode("suite=" + p + ",tier=web")))));
        assertEquals(List.of(db, web1, web2, web3), slugs(assertStatus(200,
                get("systems?kind=host&selector=" + encode("suite=" + p)))));
        assertEquals(List.of(shop), slugs(assertStatus(200,
                get("systems?kind=product&selector=" + encode("suite=" + p)))));
        JsonNode preview = assertStatus(200, get("selectors/preview?limit=2&selector="
                + encode("suite=" + p + ", tier in (web,db)")));
        assertEquals("suite=" + p + ",tier in (db,web)", preview.path("selector").asText());
        assertEquals(4, preview.path("count").asInt());
        assertEquals(List.of(db, web1), texts(preview.path("systems")));

        // A malformed selector is refused wherever it is given, naming where it goes wrong.
        String bad = encode("tier in (web");
        assertProblem(get("systems?selector=" + bad), 400, "at position 13");
        assertProblem(get("selectors/preview?selector=" + bad), 400, "at position 13");
        assertProblem(post("systems", fields("slug", p + "-bad", "selector", "tier in (web")), 400, "at position 13");
        assertProblem(put("systems/" + web, fields("slug", web, "selector", "=web")), 400, "at position 1");
        assertProblem(get("systems/" + p + "-bad"), 404, "no system '" + p + "-bad'");
        assertEquals("suite=" + p + ",tier=web", system(web).path("selector").asText());
        assertEquals(List.of(db, web1, web3), memberSlugs(web));
    }

    @Test
    public void systemsAreListedInPagesThatLinkToTheNext() throws Exception {
        awaitHealthy();
        String p = unique("list");
        List<String> all = List.of(p + "-a", p + "-b", p + "-c", p + "-d", p + "-e");
        for (String slug : List.of(p + "-c", p + "-a", p + "-e", p + "-b", p + "-d")) {
            create(fields("slug", slug, "labels", Map.of("suite", p)));
        }

        List<String> read = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String next = "systems?limit=2&selector=" + encode("suite=" + p);
        while (next != null && pageSizes.size() < 10) {
            HttpResponse<String> page = get(next);
            List<String> slugs = slugs(assertStatus(200, page));
            read.addAll(slugs);
            pageSizes.add(slugs.size());
            next = nextPage(page);
        }

        assertEquals(all, read);
        assertEquals(List.of(2, 2, 1), pageSizes);
        assertEquals(all.subList(3, 5), slugs(assertStatus(200, get("systems?selector=" + encode("suite=" + p)
                + "&after=" + all.get(2)))));
        assertProblem(get("systems?limit=0"), 400, "limit must be between 1 and 10000");
    }

    /** Returns the path of the page a {@code Link: <…>; rel="next"} header names, or {@code null}. */
    private static String nextPage(HttpResponse<String> page) {
        for (String header : page.headers().allValues("Link")) {
            for (String link : header.split(",(?=\\s*<)")) {
                Matcher matcher = NEXT_LINK.matcher(link);
                if (matcher.matches()) {
                    return matcher.group(1);
                }
            }
        }
        return null;
    }

    @Test
    public void membershipIsTransitiveAndCyclesAreRefused() throws Exception {
        awaitHealthy();
        String p = unique("cyc");
        String top = p + "-top";
        String mid = p + "-mid";
        String bottom = p + "-bottom";
        String leafA = p + "-leaf-a";
        String leafB = p + "-leaf-b";
        String dyn = p + "-dyn";
        String loop = p + "-loop";
        create(fields("slug", leafA));
        create(fields("slug", leafB));
        create(fields("slug", bottom, "members", List.of(leafB)));
        create(fields("slug", mid, "members", List.of(leafA, bottom)));
        create(fields("slug", top, "labels", Map.of("suite", p, "level", "top"), "members", List.of(mid)));
        create(fields("slug", dyn, "selector", "suite=" + p + ",role=loop"));

        assertEquals(List.of(bottom, leafA, leafB, mid), transitive(top));
        assertEquals(List.of(leafB), transitive(bottom));
        assertEquals(List.of(), transitive(leafA));

        List<JsonNode> before = List.of(system(top), system(mid), system(bottom), system(leafB), system(dyn));

        // Through adding a member, replacing the members, a selector, and a new system a selector would choose.
        assertProblem(put("systems/" + mid + "/members/" + top), 409,
                "would make a cycle: " + String.join(" → ", mid, top, mid));
        assertProblem(put("systems/" + bottom, fields("slug", bottom, "members", List.of(leafB, top))), 409,
                "would make a cycle: " + String.join(" → ", bottom, top, mid, bottom));
        assertProblem(put("systems/" + leafB, fields("slug", leafB, "selector", "level=top,suite=" + p)), 409,
                "would make a cycle: " + String.join(" → ", leafB, top, mid, bottom, leafB));
        assertProblem(post("systems", fields("slug", loop, "labels", Map.of("suite", p, "role", "loop"),
                "members", List.of(dyn))), 409, "would make a cycle: " + String.join(" → ", loop, dyn, loop));

        assertEquals(before, List.of(system(top), system(mid), system(bottom), system(leafB), system(dyn)));
        assertProblem(get("systems/" + loop), 404, "no system '" + loop + "'");
        assertEquals(List.of(bottom, leafA, leafB, mid), transitive(top));
        assertEquals(List.of(), memberSlugs(dyn));
        assertEquals(List.of(), slugs(assertStatus(200, get("systems/" + top + "/aggregates"))));
    }

    @Test
    public void deletingAMemberRemovesItFromItsAggregatesAndTheirTimelinesSaySo() throws Exception {
        awaitHealthy();
        String p = unique("del");
        String cache = p + "-cache";
        String queue = p + "-queue";
        String shop = p + "-shop";
        String caches = p + "-caches";
        JsonNode cacheCreated = create(fields("slug", cache, "labels", Map.of("suite", p, "role", "cache")));
        create(fields("slug", queue, "labels", Map.of("suite", p)));
        create(fields("slug", shop, "members", List.of(cache, queue)));
        create(fields("slug", caches, "selector", "role=cache,suite=" + p));
        assertEquals(List.of(cache), memberSlugs(caches));

        assertStatus(204, delete("systems/" + cache));

        assertEquals(List.of(queue), texts(system(shop).path("members")));
        assertEquals(List.of(queue), memberSlugs(shop));
        assertEquals(List.of(queue), transitive(shop));
        assertEquals(List.of(), memberSlugs(caches));
        assertProblem(get("systems/" + cache + "/aggregates"), 404, "no system '" + cache + "'");

        JsonNode updated = awaitEvent(shop, "system.updated",
                event -> event.path("body").has("removedMembers"));
        assertEquals(List.of(cache), texts(updated.path("body").path("removedMembers")));
        assertEquals("kernel", updated.path("source").path("kind").asText());
        JsonNode changed = awaitEvent(caches, "system.members-changed",
                event -> event.path("body").has("removedMembers"));
        assertEquals(List.of(cache), texts(changed.path("body").path("removedMembers")));

        // The deleted system's own record outlives it.
        JsonNode deleted = await("system.deleted of " + cache, () -> find(events("type=system.deleted&limit=1000"),
                event -> cache.equals(event.path("system").asText())));
        assertEquals(cacheCreated.path("id"), deleted.path("systemId"));
    }

    @Test
    public void aFreshSystemHasNoDataAndNoCauses() throws Exception {
        awaitHealthy();
        String p = unique("status");
        String host = p + "-host";
        String group = p + "-group";
        JsonNode created = create(fields("slug", host, "kind", "host"));
        create(fields("slug", group, "members", List.of(host)));

        for (String slug : List.of(host, group)) {
            JsonNode status = assertStatus(200, get("systems/" + slug + "/status?causes=10"));
            assertEquals(slug, status.path("system").asText());
            assertEquals("no-data", status.path("own").asText());
            assertEquals(0, status.path("reports").size());
            assertEquals("no-data", status.path("rolledUp").asText());
            assertEquals(0, status.path("causes").size());
            assertEquals(0, status.path("causeCount").asInt());
        }
        assertEquals(created.path("created"), assertStatus(200, get("systems/" + host + "/status")).path("since"));
        assertEquals("no-data", assertStatus(200, get("systems/" + group + "/members")).get(0).path("status").asText());

        assertProblem(get("systems/" + p + "-ghost/status"), 404, "no system '" + p + "-ghost'");
        assertProblem(get("systems/" + host + "/status?causes=0"), 400, "causes must be between 1 and 100");
    }

    // Timeline

    @Test
    public void appendingIsIdempotentPerEventId() throws Exception {
        String instanceName = awaitHealthDetails().path("instance").path("name").asText();
        String p = unique("idem");
        String app = p + "-app";
        JsonNode appCreated = create(fields("slug", app));
        String once = p + "-deploy-1";

        JsonNode first = assertStatus(201, post("timeline/events", fields("id", once, "type", "deploy.finished",
                "system", app, "body", Map.of("version", "1.0"))));
        assertEquals(once, first.path("id").asText());
        assertEquals("deploy.finished", first.path("type").asText());
        assertEquals(app, first.path("system").asText());
        assertEquals(appCreated.path("id"), first.path("systemId"));
        assertEquals(JSON.valueToTree(fields("kind", "user", "name", "admin")), first.path("source"));
        assertEquals(instanceName, first.path("origin").asText());
        assertEquals(JSON.valueToTree(Map.of("version", "1.0")), first.path("body"));
        assertEquals("without a time, it happened when recorded", first.path("recorded"), first.path("time"));

        // The same id again, even with another body: the stored event comes back, and nothing more is stored.
        JsonNode again = assertStatus(200, post("timeline/events", fields("id", once, "type", "deploy.finished",
                "system", app, "body", Map.of("version", "2.0"))));
        assertEquals(first, again);
        assertEquals(List.of(once), ids(events("system=" + app + "&type=deploy.*")));
        // The same id about another system is someone else's event, which is not shown.
        String other = p + "-other";
        create(fields("slug", other));
        HttpResponse<String> taken = post("timeline/events", fields("id", once, "type", "deploy.finished",
                "system", other));
        assertProblem(taken, 409, "event id '" + once + "' is taken by another event");
        assertFalse(taken.body(), taken.body().contains("1.0") || taken.body().contains(app));

        JsonNode outcomes = assertStatus(200, post("timeline/events/batch", List.of(
                fields("id", p + "-b1", "type", "deploy.started", "system", app),
                fields("id", p + "-b2", "type", "deploy.finished", "system", app, "body", Map.of("version", "1.1")),
                fields("id", p + "-b1", "type", "deploy.started", "system", app),
                fields("id", once, "type", "deploy.finished", "system", app))));
        assertEquals(JSON.valueToTree(List.of(
                fields("id", p + "-b1", "created", true),
                fields("id", p + "-b2", "created", true),
                fields("id", p + "-b1", "created", false),
                fields("id", once, "created", false))), outcomes);
        JsonNode repeated = assertStatus(200, post("timeline/events/batch", List.of(
                fields("id", p + "-b2", "type", "deploy.finished", "system", app))));
        assertFalse(repeated.get(0).path("created").asBoolean());
        // Ids with ':' are Hanse's own, such as those it gives an agent's observations: no client takes one first.
        assertProblem(post("timeline/events", fields("id", "agent:" + p, "type", "deploy.finished", "system", app)),
                400, "event id 'agent:" + p + "' holds ':'");
        assertProblem(post("timeline/events/batch", List.of(fields("id", p + "-b3", "type", "deploy.started",
                "system", app), fields("id", "ber:" + p, "type", "deploy.started", "system", app))), 400,
                "event id 'ber:" + p + "' holds ':'");
        JsonNode nullBody = assertStatus(201, post("timeline/events", "application/json",
                "{\"type\":\"note.added\",\"system\":\"" + app + "\",\"body\":null}"));
        assertEquals("a null body is an empty one", JSON.valueToTree(Map.of()), nullBody.path("body"));

        JsonNode stored = events("system=" + app + "&type=deploy.*");
        assertEquals(3, stored.size());
        assertEquals(List.of(p + "-b1", p + "-b2", once), ids(stored).stream().sorted().toList());
        assertEquals(JSON.valueToTree(Map.of("version", "1.0")),
                find(stored, event -> once.equals(event.path("id").asText())).path("body"));
        assertEquals(JSON.valueToTree(Map.of()),
                find(stored, event -> (p + "-b1").equals(event.path("id").asText())).path("body"));
    }

    @Test
    public void eventsAreFoundBySystemMembersTypeAndTime() throws Exception {
        awaitHealthy();
        String p = unique("query");
        String host = p + "-host";
        String service = p + "-service";
        String other = p + "-other";
        create(fields("slug", host));
        create(fields("slug", service, "members", List.of(host)));
        create(fields("slug", other));
        JsonNode appended = assertStatus(200, post("timeline/events/batch", List.of(
                event(p + "-disk", "check.disk", host, "2021-03-01T10:00:00Z"),
                event(p + "-http", "check.http", service, "2021-03-02T10:00:00Z"),
                event(p + "-deploy", "deploy.finished", service, "2021-03-03T10:00:00Z"),
                event(p + "-elsewhere", "check.disk", other, "2021-03-04T10:00:00Z"))));
        assertEquals(4, appended.size());

        // An aggregate's timeline holds its members' events unless asked not to; newest first.
        assertEquals(List.of(p + "-deploy", p + "-http", p + "-disk"),
                ids(events("system=" + service + "&" + IN_2021)));
        assertEquals(List.of(p + "-deploy", p + "-http", p + "-disk"),
                ids(events("system=" + service + "&members=true&" + IN_2021)));
        assertEquals(List.of(p + "-deploy", p + "-http"),
                ids(events("system=" + service + "&members=false&" + IN_2021)));
        assertEquals(List.of(p + "-disk"), ids(events("system=" + host + "&" + IN_2021)));

        // Types, exact or by namespace, any of several.
        assertEquals(List.of(p + "-http", p + "-disk"), ids(events("system=" + service + "&type=check.*")));
        assertEquals(List.of(p + "-deploy", p + "-disk"),
                ids(events("system=" + service + "&type=deploy.finished&type=check.disk")));
        List<String> allDisks = ids(events("type=check.disk&limit=1000&" + IN_2021)).stream()
                .filter(id -> id.startsWith(p)).toList();
        assertEquals(List.of(p + "-elsewhere", p + "-disk"), allDisks);

        // From is inclusive, until exclusive.
        assertEquals(List.of(p + "-http"), ids(events("system=" + service
                + "&from=2021-03-02T10:00:00Z&until=2021-03-03T10:00:00Z")));
        assertEquals(List.of(p + "-deploy"), ids(events("system=" + service + "&from=2021-03-03T10:00:00Z&"
                + "until=2021-12-31T00:00:00Z")));

        JsonNode disk = events("system=" + host + "&" + IN_2021).get(0);
        assertEquals("2021-03-01T10:00:00Z", disk.path("time").asText());
        assertEquals(host, disk.path("system").asText());
        assertTrue(disk.toString(), instant(disk.path("recorded")).isAfter(Instant.parse("2022-01-01T00:00:00Z")));

        assertProblem(get("timeline/events?type=Check"), 400, "event type 'Check' must be");
        assertProblem(get("timeline/events?from=yesterday"), 400, "from must be an ISO-8601 time");
        assertProblem(get("timeline/events?from=2021-03-02T00:00:00Z&until=2021-03-01T00:00:00Z"), 400,
                "from must be before until");
        assertProblem(get("timeline/events?limit=0"), 400, "limit must be between 1 and 1000");
        assertProblem(get("timeline/events?system=" + p + "-ghost"), 404, "no system '" + p + "-ghost'");
    }

    @Test
    public void pagesFollowTheCursorNewestFirstWithEveryEventOnce() throws Exception {
        awaitHealthy();
        String p = unique("page");
        String app = p + "-app";
        create(fields("slug", app));
        // Stored in another order than they happened, so the order must come from their times.
        assertStatus(200, post("timeline/events/batch", List.of(
                event(p + "-3", "page.test", app, "2021-06-03T00:00:00Z"),
                event(p + "-1", "page.test", app, "2021-06-01T00:00:00Z"),
                event(p + "-5", "page.test", app, "2021-06-05T00:00:00Z"),
                event(p + "-2", "page.test", app, "2021-06-02T00:00:00Z"),
                event(p + "-4", "page.test", app, "2021-06-04T00:00:00Z"))));

        List<String> read = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = assertStatus(200, get("timeline/events?system=" + app + "&type=page.test&limit=2"
                    + (cursor == null ? "" : "&cursor=" + encode(cursor))));
            read.addAll(ids(page.path("events")));
            pageSizes.add(page.path("events").size());
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (cursor != null && pageSizes.size() < 10);

        assertEquals(List.of(p + "-5", p + "-4", p + "-3", p + "-2", p + "-1"), read);
        assertEquals(List.of(2, 2, 1), pageSizes);

        assertProblem(get("timeline/events?system=" + app + "&cursor=not-a-cursor"), 400,
                "cursor 'not-a-cursor' is not one this timeline returned");
    }

    @Test
    public void refusedAppendsStoreNothing() throws Exception {
        awaitHealthy();
        String p = unique("refuse");
        String app = p + "-app";
        String ghost = p + "-ghost";
        create(fields("slug", app));
        String tooBig = "x".repeat(70_000);

        assertProblem(post("timeline/events", fields("type", "probe.big", "system", app,
                "body", Map.of("pad", tooBig))), 413, "the limit is 65536");
        assertProblem(post("timeline/events", fields("type", "probe.lost", "system", ghost)), 404,
                "no system '" + ghost + "'");
        assertProblem(post("timeline/events", fields("type", "probe.list", "system", app, "body", List.of(1, 2))),
                400, "event body must be a JSON object");
        assertProblem(post("timeline/events", fields("type", "probe.text", "system", app, "body", "text")),
                400, "event body must be a JSON object");
        assertProblem(post("timeline/events", fields("type", "Probe", "system", app)), 400,
                "event type 'Probe' must be");
        assertProblem(post("timeline/events", fields("id", "with space", "type", "probe.id", "system", app)), 400,
                "event id must be");
        assertProblem(post("timeline/events", fields("type", "probe.nosystem")), 400, "event system is required");
        // One bad event refuses the whole batch.
        assertProblem(post("timeline/events/batch", List.of(
                fields("id", p + "-fine", "type", "probe.fine", "system", app),
                fields("type", "probe.lost", "system", ghost))), 404, "no system '" + ghost + "'");
        assertProblem(post("timeline/events/batch", List.of(
                fields("id", p + "-fine", "type", "probe.fine", "system", app),
                fields("type", "probe.big", "system", app, "body", Map.of("pad", tooBig)))), 413,
                "the limit is 65536");

        assertEquals(0, events("system=" + app + "&type=probe.*").size());

        // A body of exactly the limit is taken.
        String fits = "x".repeat(65_536 - "{\"pad\":\"\"}".length());
        assertStatus(201, post("timeline/events", fields("type", "edge.limit", "system", app,
                "body", Map.of("pad", fits))));
        assertEquals(1, events("system=" + app + "&type=edge.limit").size());
    }

    @Test
    public void theLiveStreamOfAnAggregateCarriesItsMembersEventsOnly() throws Exception {
        awaitHealthy();
        String p = unique("live");
        String member = p + "-member";
        String group = p + "-group";
        String unrelated = p + "-unrelated";
        create(fields("slug", member));
        create(fields("slug", group, "members", List.of(member)));
        create(fields("slug", unrelated));

        List<ServerSentEvent> seen = new ArrayList<>();
        try (EventStream stream = openStream("timeline/stream?system=" + group)) {
            awaitSubscribed(stream, member, "live.ready", p + "-ready-", seen);

            assertStatus(201, post("timeline/events", fields("id", p + "-unrelated", "type", "live.test",
                    "system", unrelated)));
            assertStatus(201, post("timeline/events", fields("id", p + "-member", "type", "live.test",
                    "system", member, "body", Map.of("n", 1))));
            // A stream gets events in the order they are stored: once this one is there, so would the unrelated one.
            assertStatus(201, post("timeline/events", fields("id", p + "-done", "type", "live.done",
                    "system", member)));

            ServerSentEvent arrived = stream.await(event -> (p + "-member").equals(event.id()), EVENT_WAIT, seen);
            assertEquals("live.test", arrived.event());
            JsonNode data = arrived.json();
            assertEquals(p + "-member", data.path("id").asText());
            assertEquals(member, data.path("system").asText());
            assertEquals(1, data.path("body").path("n").asInt());
            stream.await(event -> (p + "-done").equals(event.id()), EVENT_WAIT, seen);
        }
        List<String> about = seen.stream().map(event -> event.json().path("system").asText()).distinct().toList();
        assertFalse("the unrelated event arrived: " + seen, about.contains(unrelated));
        assertTrue("only events about the group and its member: " + seen,
                List.of(member, group).containsAll(about));

        assertProblem(get("timeline/stream?system=" + p + "-ghost"), 404, "no system '" + p + "-ghost'");
    }

    // Shell

    @Test
    public void theShellAddsListsShowsChangesAndRemovesSystems() throws Exception {
        awaitHealthy();
        String p = unique("shell");
        String db = p + "-db";
        String app = p + "-app";
        String cache = p + "-cache";

        assertEquals("Created system " + db, shell("system:add --kind host --label suite=" + p + " " + db)
                .strip());
        String added = shell("system:add --name 'Shell app' --kind service --label suite=" + p
                + " --label tier=web --member " + db + " --description 'Made in the shell' --owner team-shell"
                + " --link 'Runbook|https://wiki.example.org/shell|runbook' --rules 'Restart only at night'"
                + " --may-touch team-shell --escalate-to alice " + app);
        assertEquals("Created system " + app, added.strip());

        JsonNode made = system(app);
        assertEquals("Shell app", made.path("name").asText());
        assertEquals("service", made.path("kind").asText());
        assertEquals(JSON.valueToTree(Map.of("suite", p, "tier", "web")), made.path("labels"));
        assertEquals("Made in the shell", made.path("description").asText());
        assertEquals(List.of("team-shell"), texts(made.path("owners")));
        assertEquals(JSON.valueToTree(List.of(fields("title", "Runbook", "url", "https://wiki.example.org/shell",
                "kind", "runbook"))), made.path("links"));
        assertEquals(JSON.valueToTree(fields("text", "Restart only at night", "mayTouch", List.of("team-shell"),
                "escalateTo", List.of("alice"))), made.path("rules"));
        assertEquals(List.of(db), texts(made.path("members")));

        JsonNode listed = JSON.readTree(shell("system:list --json"));
        assertTrue(listed.toString(), listed.isArray());
        JsonNode row = find(listed, system -> app.equals(system.path("slug").asText()));
        assertEquals(JSON.valueToTree(fields("slug", app, "name", "Shell app", "kind", "service",
                "labels", fields("suite", p, "tier", "web"), "status", "no-data", "members", 1)), row);

        assertEquals(List.of(app), slugs(JSON.readTree(shell("system:list --json --selector 'suite=" + p
                + ",tier=web'"))));
        assertEquals(List.of(db), slugs(JSON.readTree(shell("system:list --json --kind host --selector 'suite="
                + p + "'"))));
        String table = shell("system:list --selector 'suite=" + p + ",tier=web'");
        assertTrue(table, table.contains(app) && table.contains("Shell app") && table.contains("no-data"));
        assertFalse(table, table.contains(db));

        String shown = shell("system:show " + app);
        for (String part : List.of("Shell app", "Made in the shell", "suite=" + p + ",tier=web", "team-shell",
                "Restart only at night", "alice", "Runbook", "https://wiki.example.org/shell", "Members (1):", db,
                "Own status: no-data", "Member of: none")) {
            assertTrue("'" + part + "' in:\n" + shown, shown.contains(part));
        }

        assertEquals("Updated system " + app + ": labels", shell("system:set --label tier=api " + app).strip());
        assertEquals(JSON.valueToTree(Map.of("suite", p, "tier", "api")), system(app).path("labels"));
        assertEquals("Nothing to change in system " + app, shell("system:set --label tier=api " + app).strip());

        shell("system:add " + cache);
        assertEquals("Added " + cache + " to " + app, shell("system:member-add " + app + " " + cache).strip());
        assertEquals(List.of(db, cache), texts(system(app).path("members")));
        assertEquals("Removed " + db + " from " + app, shell("system:member-remove " + app + " " + db).strip());
        assertEquals(List.of(cache), texts(system(app).path("members")));

        // The kernel's record of the creation, as one line: time, type, system, source and body.
        String created = await("system.created of " + app + " in timeline-tail", () -> {
            String tail = shell("timeline:tail --no-follow --limit 50 " + app);
            return tail.lines().filter(line -> line.contains(" system.created " + app + " ")).findFirst().orElse(null);
        });
        assertTrue(created, created.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ system\\.created " + app
                + " kernel \\{\"name\":\"Shell app\",\"kind\":\"service\",\"addedMembers\":\\[\"" + db + "\"]}"));
        // The kernel records in the background: wait for the record of the last change.
        String updates = await("the removal of " + db + " in timeline-tail", () -> {
            String tail = shell("timeline:tail --no-follow --types system.updated --only-this " + app);
            return tail.contains("\"removedMembers\":[\"" + db + "\"]") ? tail : null;
        });
        assertEquals(updates, 3, updates.lines().filter(line -> line.contains(" system.updated " + app + " kernel "))
                .count());
        assertFalse(updates, updates.contains("system.created"));

        Exception failure = shellFailure("system:show nope");
        // Karaf prints a refusal without logging it as an error with a stack trace, which it does for any other.
        assertEquals("CommandException", failure.getClass().getSimpleName());
        assertEquals("NotFoundException", failure.getCause().getClass().getSimpleName());
        String log = Files.readString(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));
        assertFalse("a refusal logged as an error", log.contains("NotFoundException: no system 'nope'"));
        assertTrue(messages(failure), messages(failure).contains("no system 'nope'"));
        String badSelector = messages(shellFailure("system:add --selector 'tier in (' " + p + "-bad"));
        assertTrue(badSelector, badSelector.contains("invalid selector 'tier in (' at position 10"));
        assertProblem(get("systems/" + p + "-bad"), 404, "no system");

        String removed = shell("system:remove " + cache);
        assertTrue(removed, removed.contains("Removed system " + cache));
        assertTrue(removed, removed.contains("It is no longer a member of " + app));
        assertProblem(get("systems/" + cache), 404, "no system '" + cache + "'");
        assertEquals(List.of(), texts(system(app).path("members")));

        // Text from the API reaches the shell's terminal without control sequences: this name would clear it.
        assertEquals(200, put("systems/" + db, fields("name", "Host\u001b[2J\u001b[H", "kind", "host",
                "labels", fields("suite", p))).statusCode());
        String hostile = shell("system:list --kind host --selector 'suite=" + p + "'");
        assertTrue(hostile, hostile.contains("Host\uFFFD[2J\uFFFD[H") && !hostile.contains("\u001b"));
    }

    // Persistence

    @Test
    public void systemsMembersAndEventsAreKeptAcrossKernelRestarts() throws Exception {
        awaitHealthy();
        String p = unique("keep");
        String db = p + "-db";
        String web = p + "-web";
        String gone = p + "-gone";
        String shop = p + "-shop";
        String dbs = p + "-dbs";
        create(fields("slug", db, "kind", "host", "labels", Map.of("suite", p, "tier", "db")));
        create(fields("slug", web, "name", "Web", "kind", "service", "labels", Map.of("suite", p, "tier", "web"),
                "description", "Serves the shop", "owners", List.of("team-web"),
                "links", List.of(fields("title", "Logs", "url", "https://logs.example.org/web", "kind", "logs")),
                "rules", fields("text", "Ask first", "mayTouch", List.of("team-web"), "escalateTo", List.of("carol"))));
        create(fields("slug", gone));
        create(fields("slug", shop, "members", List.of(web, db, gone)));
        create(fields("slug", dbs, "selector", "suite=" + p + ",tier=db"));
        assertStatus(204, delete("systems/" + gone));
        assertStatus(201, post("timeline/events", fields("id", p + "-event", "type", "deploy.finished",
                "system", web, "body", Map.of("version", "3.1"))));
        awaitEvent(shop, "system.updated", event -> event.path("body").has("removedMembers"));

        List<String> slugs = List.of(db, web, shop, dbs);
        List<JsonNode> systemsBefore = new ArrayList<>();
        for (String slug : slugs) {
            systemsBefore.add(system(slug));
        }
        JsonNode eventsBefore = events("system=" + shop + "&limit=1000");
        List<String> dbsMembersBefore = memberSlugs(dbs);

        restartKernel();

        List<JsonNode> systemsAfter = new ArrayList<>();
        for (String slug : slugs) {
            systemsAfter.add(system(slug));
        }
        assertEquals(systemsBefore, systemsAfter);
        assertEquals(List.of(web, db), texts(system(shop).path("members")));
        assertEquals(List.of(db, web), transitive(shop));
        assertEquals(dbsMembersBefore, memberSlugs(dbs));
        assertEquals(List.of(db), memberSlugs(dbs));
        assertProblem(get("systems/" + gone), 404, "no system '" + gone + "'");
        assertEquals(eventsBefore, events("system=" + shop + "&limit=1000"));
        assertTrue(ids(eventsBefore).contains(p + "-event"));
    }

    // Helpers

    private static JsonNode create(Map<String, Object> system) {
        return assertStatus(201, post("systems", system));
    }

    private static JsonNode system(String slug) {
        return assertStatus(200, get("systems/" + slug));
    }

    private static List<String> memberSlugs(String aggregate) {
        return slugs(assertStatus(200, get("systems/" + aggregate + "/members")));
    }

    private static List<String> transitive(String slug) {
        return texts(assertStatus(200, get("systems/" + slug + "/members/transitive")));
    }

    private static JsonNode events(String query) {
        return assertStatus(200, get("timeline/events?" + query)).path("events");
    }

    private static Map<String, Object> event(String id, String type, String system, String time) {
        return fields("id", id, "type", type, "system", system, "time", time);
    }

    /** Waits until the timeline of {@code system} alone holds an event of this type that is wanted. */
    private static JsonNode awaitEvent(String system, String type, Predicate<JsonNode> wanted) throws Exception {
        return await(type + " of " + system, () -> find(events("system=" + system + "&members=false&type=" + type
                + "&limit=1000"), wanted));
    }

    /** Returns the first element that is wanted, or {@code null}. */
    private static JsonNode find(JsonNode array, Predicate<JsonNode> wanted) {
        return elements(array).filter(wanted).findFirst().orElse(null);
    }

    private static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static List<String> slugs(JsonNode systems) {
        return elements(systems).map(system -> system.path("slug").asText()).toList();
    }

    private static List<String> ids(JsonNode events) {
        return elements(events).map(event -> event.path("id").asText()).toList();
    }

    private static List<Boolean> flags(JsonNode members, String flag) {
        return elements(members).map(member -> member.path(flag).asBoolean()).toList();
    }

    private static Instant instant(JsonNode time) {
        return Instant.parse(time.asText());
    }

    @Test
    public void aTimelineSettingThatCannotBeReadIsLoggedAndListedWhileTheTimelineRunsOn() throws Exception {
        awaitHealthy();
        String app = unique("settings") + "-app";
        create(fields("slug", app));

        shell("config:property-set -p io.hanse.timeline maxBodyBytes 1MB");
        try {
            JsonNode details = await("the problem in the health details", () -> {
                JsonNode found = awaitHealthDetails();
                return found.path("configuration").toString().contains("maxBodyBytes cannot be read") ? found : null;
            });
            assertEquals(details.toString(), "up", details.path("status").asText());
            assertStatus(201, post("timeline/events", fields("type", "deploy.finished", "system", app, "body",
                    Map.of("version", "1.0"))));
        } finally {
            shell("config:property-delete -p io.hanse.timeline maxBodyBytes");
        }
        await("the problem gone once corrected", () -> awaitHealthDetails().path("configuration").toString()
                .contains("maxBodyBytes") ? null : true);
    }
}
