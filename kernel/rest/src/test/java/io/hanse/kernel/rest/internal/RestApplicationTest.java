package io.hanse.kernel.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.UnavailableException;
import io.hanse.api.security.Public;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.ws.rs.Consumes;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Jersey application as the kernel configures it, served over real HTTP on loopback. */
class RestApplicationTest {

    private static final int LIMIT = 2048;

    private static HttpServer server;
    private static URI base;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Whether the health the application is given reports every part of Hanse running; it does unless a test says. */
    private static final AtomicBoolean COMPONENTS_UP = new AtomicBoolean(true);
    /** How often the application asked the health. */
    private static final AtomicInteger HEALTH_ASKED = new AtomicInteger();

    @Path("items")
    public static class ItemResource {

        @POST

        @Public
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public Item echo(Item item) {
            return item;
        }

        @POST
        @Public
        @Path("formats")
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public Formats formats(Formats formats) {
            return formats;
        }

        @GET

        @Public
        @Path("missing")
        public String missing() {
            throw new NotFoundException("There is no item 7.");
        }

        @GET
        @Public
        @Path("missing-in-jax-rs")
        public String missingInJaxRs() {
            throw new javax.ws.rs.NotFoundException("There is no item 9.");
        }

        @GET

        @Public
        @Path("broken")
        public String broken() {
            throw new IllegalStateException("secret internals");
        }

        @GET

        @Public
        @Path("page")
        public String page(@QueryParam("limit") int limit, @QueryParam("all") @DefaultValue("false") boolean all) {
            return limit + (all ? " all" : "");
        }

        @GET
        @Public
        @Path("named/{name}")
        public String named(@PathParam("name") String name, @QueryParam("tag") String tag) {
            return name + " " + tag;
        }

        @GET

        @Public
        @Path("busy")
        public String busy() {
            throw new WebApplicationException("Come back later.",
                    Response.status(409).header("Retry-After", "5").build());
        }

        @GET
        @Public
        @Path("full")
        public String full() {
            throw new UnavailableException("Too many polls wait already.", Duration.ofSeconds(42));
        }

        @GET

        @Public
        @Path("wrapped")
        public String wrapped() {
            throw new IllegalStateException(new NotFoundException("There is no item 8."));
        }

        @GET

        @Public
        @Path("database-down")
        public String databaseDown() {
            throw new IllegalStateException(new SQLTransientConnectionException("Connection refused", "08001"));
        }

        @GET

        @Public
        @Path("pool-exhausted")
        public String poolExhausted() {
            throw new IllegalStateException("database failure", new SQLException("Unable to acquire a new"
                    + " connection from the pool", new NoSuchElementException("Timeout waiting for idle object")));
        }

        @GET

        @Public
        @Path("unwritable")
        @Produces(MediaType.APPLICATION_JSON)
        public Object unwritable() {
            return new Object();
        }
    }

    public record Item(String name, int count, List<String> tags, Instant due) {
        public Item {
            if (name == null || name.isBlank()) {
                throw new InvalidRequestException("name is required");
            }
        }
    }

    /** Values JSON writes as strings in a format of their own. */
    public record Formats(Instant at, OffsetDateTime offset, Duration every, UUID id, Shape shape) {
    }

    public enum Shape { ROUND, SQUARE }

    @BeforeAll
    static void start() {
        server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/v1/"),
                RestApplication.create(List.of(new ItemResource()), LIMIT, TestAuthenticator.INSTANCE, () -> {
                    HEALTH_ASKED.incrementAndGet();
                    return COMPONENTS_UP.get();
                }));
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static HttpResponse<String> post(String path, String contentType, BodyPublisher body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .POST(body).build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> getPath(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> postJson(String json) throws Exception {
        return post("items", "application/json", BodyPublishers.ofString(json));
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detailPart) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("\"status\":" + status), response.body());
        assertTrue(response.body().contains(detailPart), response.body());
    }

    @Test
    void echoesValidJson() throws Exception {
        HttpResponse<String> response = postJson("{\"name\":\"disk\",\"count\":2,\"tags\":[\"a\"]}");
        assertEquals(200, response.statusCode());
        assertEquals("{\"name\":\"disk\",\"count\":2,\"tags\":[\"a\"]}", response.body());
    }

    @Test
    void leavesOutAbsentFields() throws Exception {
        HttpResponse<String> response = postJson("{\"name\":\"disk\",\"count\":2}");
        assertEquals("{\"name\":\"disk\",\"count\":2}", response.body());
    }

    @Test
    void malformedJsonIs400WithPosition() throws Exception {
        assertProblem(postJson("{\"name\": }"), 400, "not valid JSON at line 1, column 10");
    }

    @Test
    void unknownFieldIsNamed() throws Exception {
        assertProblem(postJson("{\"name\":\"disk\",\"count\":1,\"cuont\":2}"), 400,
                "Unknown field 'cuont'; known fields are count, due, name, tags");
    }

    @Test
    void aLongUnknownFieldIsNotRepeatedWhole() throws Exception {
        assertProblem(postJson("{\"name\":\"disk\",\"count\":1,\"" + "x".repeat(1_000) + "\":2}"), 400,
                "\"detail\":\"Unknown field '" + "x".repeat(128) + "…' (1,000 characters); known fields are");
    }

    @Test
    void aFieldGivenTwiceIsNamedInsteadOfReadAsItsLastValue() throws Exception {
        assertProblem(postJson("{\"name\":\"first\",\"name\":\"second\",\"count\":1}"), 400,
                "not valid JSON at line 1, column 23: Duplicate field 'name'");
        assertProblem(postJson("{\"name\":\"a\",\"count\":1,\"tags\":[],\"count\":2}"), 400,
                "Duplicate field 'count'");
    }

    @Test
    void wrongTypeNamesTheField() throws Exception {
        assertProblem(postJson("{\"name\":\"disk\",\"count\":\"many\"}"), 400, "Field 'count' has the wrong type");
        assertProblem(postJson("{\"name\":\"disk\",\"count\":1,\"tags\":[{}]}"), 400,
                "Field 'tags[0]' has the wrong type");
        assertProblem(postJson("{\"name\":42,\"count\":1}"), 400, "Field 'name' has the wrong type: expected a string");
        assertProblem(postJson("{\"name\":\"disk\",\"count\":\"1\"}"), 400, "Field 'count' has the wrong type");
        assertProblem(postJson("{\"name\":\"disk\",\"count\":2.9}"), 400,
                "Field 'count' has the wrong type: expected a whole number");
        assertProblem(postJson("{\"name\":\"disk\",\"count\":1,\"tags\":\"a\"}"), 400,
                "Field 'tags' has the wrong type: expected an array");
        assertProblem(postJson("{\"name\":\"disk\",\"count\":1,\"due\":{}}"), 400,
                "Field 'due' has the wrong type: expected a time such as 2026-12-07T10:15:00Z");
        assertProblem(postJson("[]"), 400, "The request body has the wrong shape: expected an object");
        assertProblem(post("items/formats", "application/json", BodyPublishers.ofString("{\"id\":7}")), 400,
                "\"detail\":\"Field 'id' has the wrong type: expected an id (a UUID)\"");
        assertProblem(post("items/formats", "application/json", BodyPublishers.ofString("{\"shape\":[]}")), 400,
                "\"detail\":\"Field 'shape' has the wrong type: expected one of its names\"");
    }

    @Test
    void aStringInTheWrongFormatIsNamedWithTheFormatExpected() throws Exception {
        assertProblem(postJson("{\"name\":\"disk\",\"count\":1,\"due\":\"2026-12-09 09:00\"}"), 400,
                "\"detail\":\"Field 'due' has the wrong format: '2026-12-09 09:00'; expected a time such as"
                        + " 2026-12-07T10:15:00Z\"");
        for (String[] given : List.of(
                new String[] {"offset", "tomorrow", "a time such as 2026-12-07T10:15:00Z"},
                new String[] {"every", "30 minutes", "a duration such as PT30M or P30D"},
                new String[] {"id", "item-7", "an id (a UUID)"},
                new String[] {"shape", "OVAL", "one of its names"})) {
            assertProblem(post("items/formats", "application/json",
                    BodyPublishers.ofString("{\"" + given[0] + "\":\"" + given[1] + "\"}")), 400,
                    "\"detail\":\"Field '" + given[0] + "' has the wrong format: '" + given[1] + "'; expected "
                            + given[2] + "\"");
        }
        assertProblem(postJson("{\"name\":\"disk\",\"count\":1,\"due\":\"" + "9".repeat(1_000) + "x\"}"), 400,
                "\"detail\":\"Field 'due' has the wrong format: '" + "9".repeat(128) + "…' (1,001 characters);");
    }

    @Test
    void aNumberOutOfRangeNamesTheField() throws Exception {
        assertProblem(postJson("{\"name\":\"disk\",\"count\":99999999999999999999}"), 400,
                "Field 'count' is out of range: expected a whole number");
        assertProblem(postJson("{\"name\":\"disk\",\"count\":-99999999999}"), 400,
                "Field 'count' is out of range: expected a whole number");
    }

    @Test
    void missingPrimitiveIsRequired() throws Exception {
        assertProblem(postJson("{\"name\":\"disk\"}"), 400, "Field 'count' is required: expected a whole number");
    }

    @Test
    void nullBodyIs400() throws Exception {
        assertProblem(postJson("null"), 400, "The request body is null");
    }

    @Test
    void invalidQueryParameterIs400NamingIt() throws Exception {
        assertProblem(getPath("items/page?limit=many"), 400,
                "The query parameter 'limit' has a value that is not valid");
    }

    @Test
    void aBooleanQueryParameterIsTrueOrFalseAndNothingElse() throws Exception {
        assertEquals("2 all", getPath("items/page?limit=2&all=TRUE").body());
        assertEquals("2", getPath("items/page?limit=2&all=false").body());
        assertEquals("2", getPath("items/page?limit=2").body());
        assertProblem(getPath("items/page?limit=2&all=yes"), 400, "The query parameter 'all' must be true or false.");
        assertProblem(getPath("items/page?limit=2&all="), 400, "The query parameter 'all' must be true or false.");
    }

    @Test
    void aQueryParameterTheEndpointDoesNotTakeIs400NamingThoseItTakes() throws Exception {
        assertProblem(getPath("items/page?limit=2&types=x&al=true"), 400,
                "Unknown query parameter 'al'; known ones are all, limit");
        assertProblem(getPath("items/named/disk?tag=a&tags=b"), 400,
                "Unknown query parameter 'tags'; known ones are tag");
        assertProblem(getPath("items/named/disk?" + "t".repeat(1_000) + "=b"), 400,
                "\"detail\":\"Unknown query parameter '" + "t".repeat(128) + "…' (1,000 characters); known ones");
        assertEquals(200, getPath("items/page?limit=2&all=true").statusCode());
    }

    @Test
    void aQueryParameterGivenTwiceWhereItTakesOneValueIs400() throws Exception {
        assertProblem(getPath("items/page?limit=1&all=true&limit=2"), 400,
                "The query parameter 'limit' is given 2 times; it takes one value");
        assertProblem(getPath("items/named/disk?tag=a&tag=b&tag=c"), 400,
                "The query parameter 'tag' is given 3 times; it takes one value");
    }

    @Test
    void aQueryParameterOfTheWrongFormIs400QuotingIt() throws Exception {
        assertProblem(getPath("items/page?limit=abc"), 400,
                "The query parameter 'limit' has a value that is not valid here: 'abc'.");
    }

    @Test
    void nulInAQueryParameterIs400NamingIt() throws Exception {
        assertProblem(getPath("items/named/disk?tag=a%00b"), 400,
                "The query parameter 'tag' must not contain the character U+0000 (NUL).");
        assertProblem(getPath("items/named/disk?tag=a&other=%00"), 400, "The query parameter 'other'");
    }

    @Test
    void nulInAPathParameterIs400NamingIt() throws Exception {
        assertProblem(getPath("items/named/a%00b?tag=a"), 400,
                "The path parameter 'name' must not contain the character U+0000 (NUL).");
    }

    @Test
    void parameterThatIsNotUtf8Is400NamingIt() throws Exception {
        assertProblem(getPath("items/named/disk?tag=a%C3%28"), 400,
                "The query parameter 'tag' must be UTF-8 where percent-encoded; %C3%28 is not.");
        assertProblem(getPath("items/named/disk%C3?tag=a"), 400,
                "The path parameter 'name' must be UTF-8 where percent-encoded; %C3 is not.");
        // A lone surrogate (U+D800) as UTF-8 would encode it, and NUL in the overlong form of modified UTF-8.
        assertProblem(getPath("items/named/disk?tag=%ED%A0%80"), 400, "%ED%A0%80 is not.");
        assertProblem(getPath("items/named/disk?tag=%C0%80"), 400, "%C0%80 is not.");
    }

    @Test
    void parametersInUtf8ReachTheResourceAsSent() throws Exception {
        HttpResponse<String> response = getPath("items/named/d%C3%BCsk?tag=%F0%9F%98%80+%EF%BF%BD%2B");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("d\u00fcsk \ud83d\ude00 \ufffd+", response.body());
    }

    @Test
    void resourceThrownErrorsKeepTheirDetailAndHeaders() throws Exception {
        HttpResponse<String> response = getPath("items/busy");
        assertProblem(response, 409, "Come back later.");
        assertEquals("5", response.headers().firstValue("Retry-After").orElse(""));
    }

    @Test
    void unavailableSaysWhenToComeBackIfItKnows() throws Exception {
        HttpResponse<String> response = getPath("items/full");
        assertProblem(response, 503, "Too many polls wait already.");
        assertEquals("42", response.headers().firstValue("Retry-After").orElse(""));
        assertEquals("10", getPath("items/database-down").headers().firstValue("Retry-After").orElse(""));
    }

    @Test
    void wrappedKernelExceptionKeepsItsStatus() throws Exception {
        assertProblem(getPath("items/wrapped"), 404, "There is no item 8.");
    }

    @Test
    void lostDatabaseConnectionIs503() throws Exception {
        assertProblem(getPath("items/database-down"), 503, "The database cannot be reached");
    }

    @Test
    void aPoolWithoutAConnectionToHandOutIsTheSame503NotAnIncident() throws Exception {
        HttpResponse<String> response = getPath("items/pool-exhausted");

        assertProblem(response, 503, "The database cannot be reached at the moment; try again shortly.");
        assertFalse(response.body().contains("idle object"), response.body());
        assertEquals("10", response.headers().firstValue("Retry-After").orElse(""));
    }

    @Test
    void responseThatCannotBeWrittenIs500NotTheClientsFault() throws Exception {
        assertProblem(getPath("items/unwritable"), 500, "incident");
    }

    @Test
    void emptyBodyIs400() throws Exception {
        assertProblem(postJson(""), 400, "The request body is empty");
    }

    @Test
    void ruleBrokenInConstructorIs400WithItsMessage() throws Exception {
        assertProblem(postJson("{\"name\":\" \",\"count\":1}"), 400, "name is required");
    }

    @Test
    void timeTheDatabaseCannotStoreIs400NamingTheField() throws Exception {
        assertEquals("{\"name\":\"a\",\"count\":1,\"due\":\"9999-12-31T00:00:00Z\"}",
                postJson("{\"name\":\"a\",\"count\":1,\"due\":\"9999-12-31T00:00:00Z\"}").body());
        assertProblem(postJson("{\"name\":\"a\",\"count\":1,\"due\":\"+300000-01-01T00:00:00Z\"}"), 400,
                "due must be a time in the years 1 to 9999, not +300000-01-01T00:00:00Z");
        assertProblem(postJson("{\"name\":\"a\",\"count\":1,\"due\":\"tomorrow\"}"), 400,
                "Field 'due' has the wrong format: 'tomorrow'");
    }

    @Test
    void aNumberOrAStringOfDigitsIsNoTimeAndIs400NamingTheField() throws Exception {
        // Jackson would read them as seconds since 1970: 1765000000 as 2025-12-06T05:46:40Z.
        for (String number : List.of("1765000000", "1.7965584005e9", "-1", "0", "9223372036854775807", "1e64")) {
            assertProblem(postJson("{\"name\":\"a\",\"count\":1,\"due\":" + number + "}"), 400,
                    "\"detail\":\"Field 'due' has the wrong type: expected a time such as 2026-12-07T10:15:00Z\"");
        }
        for (String digits : List.of("1765000000", "1765000000.5", " 17 ")) {
            assertProblem(postJson("{\"name\":\"a\",\"count\":1,\"due\":\"" + digits + "\"}"), 400,
                    "\"detail\":\"Field 'due' has the wrong format: '" + digits + "'; expected a time such as"
                            + " 2026-12-07T10:15:00Z\"");
        }
        assertEquals("{\"name\":\"a\",\"count\":1,\"due\":\"2026-12-08T10:00:00Z\"}",
                postJson("{\"name\":\"a\",\"count\":1,\"due\":\"2026-12-08T10:00:00Z\"}").body());
    }

    @Test
    void declaredOversizedBodyIs413() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(LIMIT) + "\"}";
        assertProblem(postJson(big), 413, "larger than the limit of " + LIMIT + " bytes");
    }

    @Test
    void streamedOversizedBodyIs413() throws Exception {
        byte[] big = ("{\"name\":\"" + "x".repeat(LIMIT * 4) + "\"}").getBytes();
        // No length given: the body arrives chunked and is cut off once past the limit.
        assertProblem(post("items", "application/json",
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))), 413, "larger than the limit");
    }

    @Test
    void nulInAnyStringIs400AndAnEscapedBackslashBeforeU0000IsNot() throws Exception {
        assertProblem(postJson("{\"name\":\"a\\u0000b\",\"count\":1}"), 400,
                "holds \\\\u0000 in a string, ending at byte 16: Hanse cannot store the character NUL");
        assertProblem(postJson("{\"name\":\"disk\",\"count\":1,\"tags\":[\"\\u00000\"]}"), 400, "NUL");
        assertProblem(postJson("{\"name\\u0000\":\"disk\",\"count\":1}"), 400, "NUL");
        HttpResponse<String> literal = postJson("{\"name\":\"a\\\\u0000 \\u0041 \\\"\\u0000\",\"count\":1}");
        assertProblem(literal, 400, "ending at byte 33");
        HttpResponse<String> kept = postJson("{\"name\":\"a\\\\u0000 \\u0041 \\u0100\",\"count\":1}");
        assertEquals(200, kept.statusCode(), kept.body());
        assertTrue(kept.body().contains("a\\\\u0000 A \u0100"), kept.body());
        assertProblem(post("items", "application/json", BodyPublishers.ofByteArray(
                "{\"name\":\"a\\u0000b\",\"count\":1}".getBytes(StandardCharsets.UTF_16LE))), 400,
                "zero byte at byte 2: JSON is taken in UTF-8 only");
    }

    @Test
    void loneSurrogateInAnyStringIs400NamingIt() throws Exception {
        assertProblem(postJson("{\"name\":\"a\\ud800\",\"count\":1}"), 400,
                "holds the lone surrogate \\\\ud800 in a string, ending at byte 16: Hanse cannot store half a"
                + " character.");
        assertProblem(postJson("{\"name\":\"\\udc00x\",\"count\":1}"), 400,
                "holds the lone surrogate \\\\udc00 in a string, ending at byte 15");
        assertProblem(postJson("{\"name\":\"\\uD800\\u0041\",\"count\":1}"), 400,
                "holds the lone surrogate \\\\ud800 in a string, ending at byte 15");
        assertProblem(postJson("{\"name\":\"\\ud800\\ud800\\udc00\",\"count\":1}"), 400,
                "holds the lone surrogate \\\\ud800 in a string, ending at byte 15");
        assertProblem(postJson("{\"name\":\"\\ud800\\n\",\"count\":1}"), 400, "lone surrogate \\\\ud800");
        assertProblem(postJson("{\"name\\udbff\":\"disk\",\"count\":1}"), 400, "lone surrogate \\\\udbff");
    }

    @Test
    void bodyThatIsNotUtf8Is400NamingWhere() throws Exception {
        assertProblem(postBytes("{\"name\":\"a\u00c3(\",\"count\":1}"), 400,
                "The request body is not UTF-8 at byte 12: JSON is taken in UTF-8 only (RFC 8259).");
        // The surrogate U+D800 encoded as if it were a character, NUL in the overlong form of modified
        // UTF-8, a code point past U+10FFFF, and a byte UTF-8 never holds.
        assertProblem(postBytes("{\"name\":\"\u00ed\u00a0\u0080\",\"count\":1}"), 400, "not UTF-8 at byte 11:");
        assertProblem(postBytes("{\"name\":\"\u00c0\u0080\",\"count\":1}"), 400, "not UTF-8 at byte 10:");
        assertProblem(postBytes("{\"name\":\"\u00f4\u0090\u0080\u0080\",\"count\":1}"), 400, "not UTF-8 at byte 11:");
        assertProblem(postBytes("{\"name\":\"\u00ff\",\"count\":1}"), 400, "not UTF-8 at byte 10:");
    }

    /** Posts each character of the body as the one byte of its value (ISO 8859-1): "\u00ff" is 0xFF. */
    private static HttpResponse<String> postBytes(String body) throws Exception {
        return post("items", "application/json",
                BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void surrogatePairsEscapedOrInUtf8ReachTheResourceAsSent() throws Exception {
        assertEquals("\ud83d\ude00 \udbff\udfff", echoedName("\\ud83d\\ude00 \\uDBFF\\uDFFF"));
        // The first and last characters of UTF-8's two-, three- and four-byte forms, around the surrogates.
        String raw = "\u0080\u07ff \u0800\ud7ff \ue000\uffff \ud800\udc00\ud83d\ude00\udbff\udfff";
        assertEquals(raw, echoedName(raw));
    }

    private static String echoedName(String json) throws Exception {
        HttpResponse<String> response = postJson("{\"name\":\"" + json + "\",\"count\":1}");
        assertEquals(200, response.statusCode(), response.body());
        return RestApplication.MAPPER.readValue(response.body(), Item.class).name();
    }

    @Test
    void nulOrTheLimitMetWhileBindingAStreamedBodyKeepTheirStatus() throws Exception {
        assertProblem(postInPieces("{\"name\":\"disk\",\"count\":1,\"tags\":[" + "\"tag\",".repeat(250)
                + "\"\\u0000\"]}"), 400, "Hanse cannot store the character NUL");
        assertProblem(postInPieces("{\"name\":\"disk\",\"count\":1,\"tags\":[" + "\"tag\",".repeat(500)
                + "\"tag\"]}"), 413, "larger than the limit of " + LIMIT + " bytes");
    }

    /** Posts a body that the server reads a few bytes at a time: it is bound while it still arrives. */
    private static HttpResponse<String> postInPieces(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return post("items", "application/json", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, 16));
            }
        }));
    }

    @Test
    void aContentTypeThatIsNoMediaTypeIs400AndJsonInCapitalsIsJson() throws Exception {
        assertProblem(post("items", "application/json; a=\"b", BodyPublishers.ofString("{}")), 400,
                "The Content-Type header is not a media type");
        HttpResponse<String> capitals = post("items", "Application/JSON",
                BodyPublishers.ofString("{\"name\":\"disk\",\"count\":2}"));
        assertEquals(200, capitals.statusCode(), capitals.body());
    }

    @Test
    void aContentTypeThatIsNoMediaTypeIs400AlsoOnARequestWithoutABody() throws Exception {
        for (String type : List.of("application/json; a=\"b", "/")) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
                HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(base.resolve("items/missing"))
                        .header("Content-Type", type).method(method, BodyPublishers.noBody()).build(),
                        BodyHandlers.ofString());
                assertProblem(response, 400, "The Content-Type header is not a media type");
            }
            assertProblem(post("items", type, BodyPublishers.noBody()), 400,
                    "The Content-Type header is not a media type");
        }
    }

    @Test
    void anAcceptHeaderThatIsNoListOfMediaTypesIs400() throws Exception {
        for (String accept : List.of("application/json;q=abc", "*/*;q=2", "\"", "application/json; a=\"b")) {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(base.resolve("items/missing"))
                    .header("Accept", accept).build(), BodyHandlers.ofString());
            assertProblem(response, 400, "The Accept header is not a list of media types");
        }
        HttpResponse<String> weighted = CLIENT.send(HttpRequest.newBuilder(base.resolve("items/missing"))
                .header("Accept", "text/html;q=0.5, application/json;q=0.9, */*;q=0.1").build(),
                BodyHandlers.ofString());
        assertProblem(weighted, 404, "There is no item 7.");
    }

    @Test
    void nonJsonBodyIs415() throws Exception {
        assertProblem(post("items", "text/plain", BodyPublishers.ofString("name=disk")), 415,
                "must be application/json, not text/plain");
    }

    @Test
    void aBodyInAContentCodingIs415NamingItAndIdentityIsTaken() throws Exception {
        String json = "{\"name\":\"disk\",\"count\":2}";
        for (String coding : List.of("gzip", "GZIP", "identity, gzip", "br")) {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(base.resolve("items"))
                    .header("Content-Type", "application/json").header("Content-Encoding", coding)
                    .POST(BodyPublishers.ofString(json)).build(), BodyHandlers.ofString());
            assertProblem(response, 415, "The request body is in the content coding " + coding
                    + "; Hanse takes request bodies only as sent, without one (identity).");
            assertEquals("identity", response.headers().firstValue("Accept-Encoding").orElse(""));
        }
        HttpResponse<String> identity = CLIENT.send(HttpRequest.newBuilder(base.resolve("items"))
                .header("Content-Type", "application/json").header("Content-Encoding", "Identity")
                .POST(BodyPublishers.ofString(json)).build(), BodyHandlers.ofString());
        assertEquals(200, identity.statusCode(), identity.body());
    }

    @Test
    void unknownPathIs404Problem() throws Exception {
        HttpResponse<String> response = getPath("nothing-here");
        assertProblem(response, 404, "There is no resource at this path.");
    }

    @Test
    void aPathNoResourceServesIs503WithRetryAfterWhileNotEveryPartOfHanseRuns() throws Exception {
        COMPONENTS_UP.set(false);
        try {
            for (HttpResponse<String> response : List.of(getPath("nothing-here"), getPath("items/named"),
                    post("agents/self/observations", "application/json", BodyPublishers.ofString("{}")))) {
                assertProblem(response, 503, "Part of Hanse is starting or not running, and nothing serves this path"
                        + " now; try again shortly. GET /api/v1/health/details says which part.");
                assertEquals("10", response.headers().firstValue("Retry-After").orElse(""),
                        response.request().uri().toString());
            }
        } finally {
            COMPONENTS_UP.set(true);
        }
        HttpResponse<String> running = getPath("nothing-here");
        assertProblem(running, 404, "There is no resource at this path.");
        assertTrue(running.headers().firstValue("Retry-After").isEmpty(), "no Retry-After on a 404");
    }

    @Test
    void aResourcesOwnNotFoundStays404AndMatchedRequestsDoNotAskTheHealth() throws Exception {
        COMPONENTS_UP.set(false);
        HEALTH_ASKED.set(0);
        try {
            assertProblem(getPath("items/missing"), 404, "There is no item 7.");
            assertProblem(getPath("items/missing-in-jax-rs"), 404, "There is no item 9.");
            assertEquals(200, getPath("items/page?limit=3").statusCode());
            assertProblem(CLIENT.send(HttpRequest.newBuilder(base.resolve("items/missing")).DELETE().build(),
                    BodyHandlers.ofString()), 405, "does not support this method");
            assertEquals(0, HEALTH_ASKED.get(), "the health is asked only when no resource matched");
        } finally {
            COMPONENTS_UP.set(true);
        }
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(base.resolve("items/missing"))
                .DELETE().build(), BodyHandlers.ofString());
        assertProblem(response, 405, "does not support this method");
        assertTrue(response.headers().firstValue("Allow").orElse("").contains("GET"));
    }

    @Test
    void kernelNotFoundIs404WithItsMessage() throws Exception {
        HttpResponse<String> response = getPath("items/missing");
        assertProblem(response, 404, "There is no item 7.");
    }

    @Test
    void unexpectedFailureIs500WithoutInternals() throws Exception {
        HttpResponse<String> response = getPath("items/broken");
        assertProblem(response, 500, "incident");
        assertFalse(response.body().contains("secret internals"));
        assertFalse(response.body().contains("IllegalStateException"));
    }
}
