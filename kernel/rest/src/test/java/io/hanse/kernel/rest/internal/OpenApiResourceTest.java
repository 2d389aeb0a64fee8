package io.hanse.kernel.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.hanse.api.security.Public;
import io.hanse.api.security.RequiresPermission;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.sse.Sse;
import javax.ws.rs.sse.SseEventSink;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document as served at {@code /api/v1/openapi.json}, over real HTTP on loopback. */
class OpenApiResourceTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static JsonNode document;

    @Path("gadgets")
    @Produces(MediaType.APPLICATION_JSON)
    public static class GadgetResource {

        @GET
        @RequiresPermission("gadgets:read")
        public List<Gadget> listGadgets(@QueryParam("kind") @DefaultValue("TOOL") Kind kind,
                @QueryParam("limit") @DefaultValue("20") int limit, @QueryParam("tag") List<String> tags,
                @QueryParam("members") @DefaultValue("true") boolean members, @HeaderParam("X-Trace") String trace) {
            return List.of();
        }

        @GET
        @Path("{id: [0-9]{1,9}}")
        public Gadget getGadget(@PathParam("id") long id) {
            return null;
        }

        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        public Gadget addGadget(GadgetInput input) {
            return null;
        }

        @DELETE
        @Path("{id}")
        @RequiresPermission(value = "gadgets:write", system = "id")
        public void deleteGadget(@PathParam("id") long id) {
        }

        @POST
        @Path("{id}/repairs")
        public Response repairGadget(@PathParam("id") long id) {
            return Response.accepted().build();
        }

        @GET
        @Path("stream")
        @Public
        @Produces(MediaType.SERVER_SENT_EVENTS)
        public void streamGadgets(@Context SseEventSink sink, @Context Sse sse) {
            sink.close();
        }

        @Path("{id}/notes")
        public NoteResource notes(@PathParam("id") long id) {
            return new NoteResource();
        }
    }

    /** Reached only through the locator of {@link GadgetResource}. */
    public static class NoteResource {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public List<String> listNotes(@QueryParam("since") String since) {
            return List.of();
        }
    }

    @Path("extras")
    public static class ExtraResource {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, Part> listExtras() {
            return Map.of();
        }

        /** Another type named Part, as another plugin might have. */
        public record Part(String label) {
        }
    }

    public enum Kind { TOOL, @JsonProperty("toy") TOY }

    public record Gadget(UUID id, String name, Kind kind, int weight, Instant created, Map<String, String> labels,
            List<Part> parts, Optional<URI> manual, JsonNode extra, @JsonProperty("serial_number") long serialNumber,
            Gadget parent) {
    }

    public record Part(String name, double price) {
    }

    public record GadgetInput(String name, Kind kind, Set<String> tags) {
    }

    @BeforeAll
    static void fetch() throws Exception {
        document = servedDocument(new GadgetResource());
    }

    /** Serves an application of the given resources and fetches its document. */
    private static JsonNode servedDocument(Object... resources) throws Exception {
        HttpServer server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/v1/"),
                RestApplication.create(List.of(resources), 4096, TestAuthenticator.INSTANCE, () -> true));
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/openapi.json");
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
            return RestApplication.MAPPER.readTree(response.body());
        } finally {
            server.stop(0);
        }
    }

    /** The operation at a path and method, e.g. {@code operation("/gadgets/{id}", "get")}. */
    private static JsonNode operation(String path, String method) {
        JsonNode operation = document.path("paths").path(path).path(method);
        assertTrue(operation.isObject(), () -> method + " " + path + " is missing from " + document.path("paths"));
        return operation;
    }

    private static JsonNode parameter(JsonNode operation, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("name").asText().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("no parameter " + name + " in " + operation);
    }

    private static String schema(JsonNode operation, String parameter) {
        return parameter(operation, parameter).path("schema").toString();
    }

    /** Follows a {@code $ref} to the component it names. */
    private static JsonNode resolve(JsonNode reference) {
        String ref = reference.path("$ref").asText();
        assertTrue(ref.startsWith("#/"), () -> "not a reference: " + reference);
        JsonNode target = document.at(ref.substring(1));
        assertFalse(target.isMissingNode(), () -> ref + " does not resolve");
        return target;
    }

    @Test
    void namesThePermissionEachOperationNeedsAndWhichNeedNone() {
        assertEquals("{\"name\":\"gadgets:read\"}", operation("/gadgets", "get").path("x-hanse-permission").toString());
        assertEquals("{\"name\":\"gadgets:write\",\"system\":\"id\"}",
                operation("/gadgets/{id}", "delete").path("x-hanse-permission").toString());
        assertTrue(operation("/gadgets", "post").path("x-hanse-permission").isMissingNode(),
                "no permission declared: refused to everyone, and shown without one");
        assertEquals("[]", operation("/gadgets/stream", "get").path("security").toString());
        assertEquals("[]", operation("/openapi.json", "get").path("security").toString());
        assertEquals("[{\"bearer\":[]}]", document.path("security").toString());
        assertEquals("bearer", document.at("/components/securitySchemes/bearer/scheme").asText());
    }

    @Test
    void describesTheApi() {
        assertEquals("3.0.3", document.path("openapi").asText());
        assertEquals("Hanse API", document.at("/info/title").asText());
        assertEquals("v1", document.at("/info/version").asText());
        assertEquals("/api/v1", document.at("/servers/0/url").asText());
    }

    @Test
    void listsEveryPathAndMethodServed() {
        Map<String, Set<String>> expected = Map.of(
                "/gadgets", Set.of("get", "post"),
                "/gadgets/{id}", Set.of("get", "delete"),
                "/gadgets/{id}/repairs", Set.of("post"),
                "/gadgets/{id}/notes", Set.of("get"),
                "/gadgets/stream", Set.of("get"),
                "/openapi.json", Set.of("get"));
        Map<String, Set<String>> actual = new HashMap<>();
        document.path("paths").fields().forEachRemaining(path -> {
            Set<String> methods = new HashSet<>();
            path.getValue().fieldNames().forEachRemaining(methods::add);
            actual.put(path.getKey(), methods);
        });
        assertEquals(expected, actual);
    }

    @Test
    void namesAndTagsOperations() {
        JsonNode list = operation("/gadgets", "get");
        assertEquals("GadgetResource.listGadgets", list.path("operationId").asText());
        assertEquals("List gadgets", list.path("summary").asText());
        assertEquals("[\"gadgets\"]", list.path("tags").toString());
        JsonNode describe = operation("/openapi.json", "get");
        assertEquals("OpenApiResource.describeEndpoints", describe.path("operationId").asText());
        assertEquals("Describe endpoints", describe.path("summary").asText());
        assertEquals("gadgets", operation("/gadgets/{id}/notes", "get").path("tags").path(0).asText());
    }

    @Test
    void describesQueryAndHeaderParametersWithTypesAndDefaults() {
        JsonNode list = operation("/gadgets", "get");
        assertEquals(5, list.path("parameters").size(), list.toString());
        JsonNode limit = parameter(list, "limit");
        assertEquals("query", limit.path("in").asText());
        assertFalse(limit.has("required"));
        assertEquals("{\"type\":\"integer\",\"format\":\"int32\",\"default\":20}", limit.path("schema").toString());
        assertEquals("{\"type\":\"boolean\",\"default\":true}", schema(list, "members"));
        assertEquals("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}", schema(list, "tag"));
        // Jersey reads enums by their Java names, not the JSON names of the component schema.
        assertEquals("{\"type\":\"string\",\"enum\":[\"TOOL\",\"TOY\"],\"default\":\"TOOL\"}", schema(list, "kind"));
        JsonNode trace = parameter(list, "X-Trace");
        assertEquals("header", trace.path("in").asText());
        assertEquals("string", trace.at("/schema/type").asText());
    }

    @Test
    void describesPathParametersAsRequiredWithoutTheirRegex() {
        JsonNode id = parameter(operation("/gadgets/{id}", "get"), "id");
        assertEquals("path", id.path("in").asText());
        assertTrue(id.path("required").asBoolean());
        assertEquals("{\"type\":\"integer\",\"format\":\"int64\"}", id.path("schema").toString());
    }

    @Test
    void subResourceKeepsTheParametersOfItsLocator() {
        JsonNode notes = operation("/gadgets/{id}/notes", "get");
        assertEquals("NoteResource.listNotes", notes.path("operationId").asText());
        assertEquals("path", parameter(notes, "id").path("in").asText());
        assertEquals("query", parameter(notes, "since").path("in").asText());
    }

    @Test
    void requestBodyRefersToTheRecordSchema() {
        JsonNode body = operation("/gadgets", "post").path("requestBody");
        assertTrue(body.path("required").asBoolean());
        JsonNode input = resolve(body.at("/content/application~1json/schema"));
        assertEquals(List.of("name", "kind", "tags"), fieldNames(input.path("properties")));
        assertEquals("{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"uniqueItems\":true}",
                input.at("/properties/tags").toString());
        assertFalse(input.has("required"), "no primitive, so nothing is always there");
    }

    @Test
    void responseRefersToTheRecordSchemaWithEveryPropertyTyped() {
        JsonNode ok = operation("/gadgets/{id}", "get").path("responses").path("200");
        JsonNode gadget = resolve(ok.at("/content/application~1json/schema"));
        JsonNode properties = gadget.path("properties");
        assertEquals(List.of("id", "name", "kind", "weight", "created", "labels", "parts", "manual", "extra",
                "serial_number", "parent"), fieldNames(properties));
        assertEquals("{\"type\":\"string\",\"format\":\"uuid\"}", properties.path("id").toString());
        assertEquals("{\"type\":\"string\",\"format\":\"date-time\"}", properties.path("created").toString());
        assertEquals("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}",
                properties.path("labels").toString());
        assertEquals("{\"type\":\"string\",\"format\":\"uri\"}", properties.path("manual").toString());
        assertEquals("{}", properties.path("extra").toString());
        assertEquals("{\"type\":\"integer\",\"format\":\"int64\"}", properties.path("serial_number").toString());
        assertEquals("[\"weight\",\"serial_number\"]", gadget.path("required").toString());
        assertEquals(gadget, resolve(properties.path("parent")), "a record referring to itself");
        JsonNode part = resolve(properties.at("/parts/items"));
        assertEquals("{\"type\":\"number\",\"format\":\"double\"}", part.at("/properties/price").toString());
        assertEquals("{\"type\":\"string\",\"enum\":[\"TOOL\",\"toy\"]}", resolve(properties.path("kind")).toString());
    }

    @Test
    void listResponseIsAnArrayOfReferences() {
        JsonNode schema = operation("/gadgets", "get").at("/responses/200/content/application~1json/schema");
        assertEquals("array", schema.path("type").asText());
        assertEquals("object", resolve(schema.path("items")).path("type").asText());
    }

    @Test
    void voidIsNoContent() {
        JsonNode responses = operation("/gadgets/{id}", "delete").path("responses");
        assertEquals(List.of("204", "default"), fieldNames(responses));
        assertFalse(responses.path("204").has("content"));
    }

    @Test
    void responseBuiltAtRunTimeIsAnySuccessWithoutSchema() {
        JsonNode responses = operation("/gadgets/{id}/repairs", "post").path("responses");
        assertEquals(List.of("2XX", "default"), fieldNames(responses));
        assertEquals("{}", responses.at("/2XX/content/application~1json").toString());
    }

    @Test
    void serverSentEventsHaveNoJsonSchema() {
        JsonNode responses = operation("/gadgets/stream", "get").path("responses");
        assertEquals("{\"text/event-stream\":{}}", responses.at("/200/content").toString());
        assertTrue(operation("/gadgets/stream", "get").path("parameters").isMissingNode(), "context is no parameter");
    }

    @Test
    void everyOperationMayAnswerWithAProblem() {
        document.path("paths").forEach(path -> path.forEach(operation ->
                assertEquals("#/components/responses/Problem", operation.at("/responses/default/$ref").asText())));
        JsonNode problem = resolve(document.at("/paths/~1gadgets/get/responses/default"));
        JsonNode schema = resolve(problem.at("/content/application~1problem+json/schema"));
        assertEquals(List.of("type", "title", "status", "detail"), fieldNames(schema.path("properties")));
        assertEquals("[\"status\"]", schema.path("required").toString());
    }

    @Test
    void everyReferenceResolvesAndEveryOperationIdIsUnique() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertFalse(refs.isEmpty());
        refs.forEach(ref -> assertFalse(document.at(ref.substring(1)).isMissingNode(), ref));
        List<String> ids = new ArrayList<>();
        document.path("paths").forEach(path -> path.forEach(operation ->
                ids.add(operation.path("operationId").asText())));
        assertEquals(ids.size(), new HashSet<>(ids).size(), ids.toString());
    }

    @Test
    void anotherApplicationDescribesItsOwnResources() throws Exception {
        JsonNode extended = servedDocument(new GadgetResource(), new ExtraResource());
        assertTrue(extended.at("/paths/~1gadgets/get").isObject());
        JsonNode schema = extended.at("/paths/~1extras/get/responses/200/content/application~1json/schema");
        assertEquals("object", schema.path("type").asText());
        // The gadgets' Part came first and keeps the short name; the other is named in full.
        String extraPart = "io.hanse.kernel.rest.internal.OpenApiResourceTest.ExtraResource.Part";
        assertEquals("#/components/schemas/" + extraPart, schema.at("/additionalProperties/$ref").asText());
        assertEquals(List.of("label"), fieldNames(extended.at("/components/schemas/" + extraPart + "/properties")));
        assertEquals(List.of("name", "price"), fieldNames(extended.at("/components/schemas/Part/properties")));
        assertTrue(document.at("/paths/~1extras").isMissingNode(), "the first application has no extras");
    }

    @Test
    void buildsTheDocumentOnce() {
        OpenApiResource resource = new OpenApiResource(List.of(new ExtraResource()));
        assertSame(resource.describeEndpoints(), resource.describeEndpoints());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }
}
