package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The distribution as shipped, on its embedded H2 database: health, shell, the plugin life
 * cycle and the error shape, plus the persistence tests every database runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class H2IT extends PersistenceTests {

    private static final String INSTANCE_NAME = "it-embedded";

    @Configuration
    public Option[] configuration() {
        return distribution(editConfigurationFilePut("etc/io.hanse.instance.cfg", "name", INSTANCE_NAME));
    }

    @Test
    public void healthReportsVersionInstanceDatabaseAndBundles() throws Exception {
        JsonNode health = awaitHealthDetails();

        assertEquals("up", health.path("status").asText());
        assertEquals("up", health.path("checks").path("database").asText());
        assertEquals(System.getProperty(VERSION_PROPERTY), health.path("version").asText());
        assertEquals(INSTANCE_NAME, health.path("instance").path("name").asText());
        assertTrue(health.path("instance").path("id").asText().matches("[0-9a-f-]{36}"));
        assertEquals("H2", health.path("database").path("kind").asText());
        assertTrue(health.path("database").path("reachable").asBoolean());
        assertEquals(0, health.path("problems").size());
    }

    @Test
    public void healthShowsAnyoneOnlyWhetherEachCheckIsUp() throws Exception {
        awaitHealthy();

        JsonNode open = assertStatus(200, getAs(null, "health"));

        List<String> fields = new ArrayList<>();
        open.fieldNames().forEachRemaining(fields::add);
        assertEquals(open.toString(), List.of("status", "checks"), fields);
        assertEquals("{\"database\":\"up\",\"instance\":\"up\",\"components\":\"up\"}",
                open.path("checks").toString());
        assertEquals(401, getAs(null, "health/details").statusCode());
    }

    @Test
    public void infoCommandShowsVersionInstanceDatabaseAndFeatures() throws Exception {
        JsonNode health = awaitHealthDetails();

        String info = shell("hanse:info");

        assertTrue(info, info.contains(System.getProperty(VERSION_PROPERTY)));
        assertTrue(info, info.contains(INSTANCE_NAME + " (" + health.path("instance").path("id").asText() + ")"));
        assertTrue(info, info.matches("(?s).*Database\\s+\\|\\s+H2 jdbc:h2:file:\\S+/data/hanse/hanse.*"));
        assertTrue(info, info.contains("hanse-kernel 0.1.0"));
    }

    @Test
    public void installingThePluginAddsItsEndpointAndCommandsAndUninstallingRemovesThem() throws Exception {
        awaitHealthy();
        assertEquals(404, get("example/notes").statusCode());

        installExample();
        try {
            HttpResponse<String> created = post("example/notes", "application/json", "{\"text\":\"from REST\"}");
            assertEquals(created.body(), 201, created.statusCode());
            assertTrue(created.headers().firstValue("Location").orElse("").endsWith("/api/v1/example/notes/"
                    + json(created).path("id").asLong()));

            String added = shell("example:note-add written in the shell");
            assertTrue(added, added.startsWith("Added note "));

            JsonNode notes = json(get("example/notes")).path("notes");
            assertEquals("written in the shell", notes.get(0).path("text").asText());
            assertEquals("from REST", notes.get(1).path("text").asText());
            String listed = shell("example:note-list");
            assertTrue(listed, listed.contains("from REST") && listed.contains("written in the shell"));

            String info = shell("hanse:info");
            assertTrue(info, info.contains(EXAMPLE_FEATURE + " 1.0.0"));
        } finally {
            uninstallExample();
        }
        assertProblem(get("example/notes"), 404, "There is no resource at this path.");
        try {
            shell("example:note-list");
            fail("example:note-list still runs after the plugin was uninstalled");
        } catch (Exception expected) {
            assertTrue(expected.toString(), expected.getClass().getSimpleName().equals("CommandNotFoundException"));
        }
    }

    @Test
    public void badRequestsGetProblemDocumentsAndStoreNothing() throws Exception {
        awaitHealthy();
        installExample();
        try {
            int before = json(get("example/notes")).path("notes").size();

            assertProblem(post("example/notes", "application/json", "{\"text\": "), 400, "not valid JSON at line 1");
            assertProblem(post("example/notes", "application/json", "{\"text\":\"a\",\"txet\":\"typo\"}"), 400,
                    "Unknown field 'txet'");
            assertProblem(post("example/notes", "application/json", "{\"text\":42}"), 400,
                    "Field 'text' has the wrong type");
            assertProblem(post("example/notes", "application/json", ""), 400, "The request body is empty");
            assertProblem(post("example/notes", "application/json", "{\"text\":\"  \"}"), 400,
                    "text: a note needs some text");
            assertProblem(post("example/notes", "text/plain", "just text"), 415, "must be application/json");
            assertProblem(post("example/notes", "application/json", "{\"text\":\"" + "x".repeat(1_100_000) + "\"}"),
                    413, "larger than the limit of 1048576 bytes");
            assertProblem(get("example/notes?limit=100000"), 400, "limit: between 1 and 500");
            assertProblem(get("example/notes/987654"), 404, "no note 987654");

            assertEquals(before, json(get("example/notes")).path("notes").size());
        } finally {
            uninstallExample();
        }
    }

    /**
     * Requests Jetty refuses before any servlet sees them (an undecodable path, a malformed header,
     * a request line or header fields over its limit) get the problem document every API error has,
     * not Jetty's HTML page, and the document repeats nothing of what was sent.
     */
    @Test
    public void requestsJettyRefusesItselfOrNoServletTakesGetProblemDocumentsToo() throws Exception {
        awaitHealthy();

        assertProblem(sendRaw("GET /api/v1/systems/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 400, "Bad Request",
                "its path cannot be decoded");

        RawAnswer malformed = sendRaw("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-Bad Header<script>\r\n\r\n");
        assertProblem(malformed, 400, "Bad Request", "The parser reports: Illegal character SPACE.");
        assertFalse(malformed.body(), malformed.body().contains("script"));

        RawAnswer tooLong = sendRaw("GET /api/v1/systems/" + "a".repeat(10_000)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertProblem(tooLong, 414, "Request-URI Too Long",
                "The request line is longer than this server accepts (the request line and header fields together:"
                        + " at most 8192 bytes)");
        assertFalse(tooLong.body(), tooLong.body().contains("aaaa"));

        RawAnswer tooLarge = sendRaw("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(10_000)
                + "\r\n\r\n");
        assertProblem(tooLarge, 431, "Request Header Fields Too Large", "at most 8192 bytes");
        assertFalse(tooLarge.body(), tooLarge.body().contains("bbbb"));

        // A path under /api that the REST API does not serve: not the HTTP server's HTML page either.
        assertProblem(sendRaw("GET /api/v2/systems HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), 404,
                "Not Found", "there is nothing else under /api");

        // The same server answers the next, well-formed request as before.
        assertEquals(200, get("health").statusCode());
    }
}
