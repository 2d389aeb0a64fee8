package io.hanse.kernel.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Public;
import io.hanse.api.security.RequiresPermission;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.ws.rs.GET;
import javax.ws.rs.OPTIONS;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deny by default over real HTTP: who may call what, and what a refusal says. */
class AuthorizationFilterTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static HttpServer server;
    private static URI base;

    @Path("things")
    public static class ThingResource {

        @GET
        @Path("open")
        @Public
        public String open() {
            return "open";
        }

        @GET
        @RequiresPermission("systems:read")
        public String list(@Context Caller caller) {
            return "listed for " + caller.source().name();
        }

        @GET
        @Path("{slug}")
        @RequiresPermission(value = "systems:read", system = "slug")
        public String get(@PathParam("slug") String slug) {
            return slug;
        }

        @GET
        @Path("forgotten")
        public String forgotten() {
            return "should never be served";
        }

        @OPTIONS
        @Path("forgotten")
        public String forgottenOptions() {
            return "should never be served either";
        }
    }

    @BeforeAll
    static void start() {
        server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/v1/"),
                RestApplication.create(List.of(new ThingResource()), 4096, TestAuthenticator.INSTANCE, () -> true));
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> options(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("\"detail\":\"" + detail + "\""), response.body());
    }

    @Test
    void aPublicMethodNeedsNoCredentials() throws Exception {
        assertEquals("open", get("things/open", null).body());
    }

    @Test
    void anonymousCallersAreAskedForAToken() throws Exception {
        HttpResponse<String> response = get("things", null);
        assertProblem(response, 401, "credentials are required: send an API token as Authorization: Bearer <token>,"
                + " or sign the request as an agent");
        assertEquals(List.of("Bearer realm=\"hanse\"", "Hanse-Signature realm=\"hanse\""),
                response.headers().allValues("WWW-Authenticate"));
    }

    @Test
    void aBadTokenIsRefusedWithoutSayingWhy() throws Exception {
        assertProblem(get("things", "guessed"), 401, "the credentials are not valid");
    }

    @Test
    void theCallerReachesTheMethod() throws Exception {
        assertEquals("listed for viewer", get("things", "web-viewer").body());
        assertEquals("listed for admin", get("things", "admin").body());
    }

    @Test
    void aPermissionOnASystemIsCheckedOnTheSystemInThePath() throws Exception {
        assertEquals("db", get("things/db", "web-viewer").body());
        assertProblem(get("things/billing", "web-viewer"), 403, "missing permission systems:read on system 'billing'");
        assertEquals("billing", get("things/billing", "admin").body());
    }

    @Test
    void aSystemInTheParametersIsCheckedAsTextBeforeItsPermission() throws Exception {
        assertProblem(get("things/web%00", "web-viewer"), 400,
                "The path parameter 'slug' must not contain the character U+0000 (NUL).");
    }

    @Test
    void aMethodThatDeclaresNoPermissionIsRefusedToEveryone() throws Exception {
        assertProblem(get("things/forgotten", "admin"), 403,
                "this endpoint declares no permission, so nobody may call it");
        assertEquals(401, get("things/forgotten", null).statusCode());
    }

    @Test
    void jerseysOwnOptionsAnswerTellsAnyoneTheMethodsButADeclaredOptionsMethodIsDeniedByDefault() throws Exception {
        for (String token : new String[] {null, "web-viewer"}) {
            HttpResponse<String> list = options("things", token);
            assertTrue(list.statusCode() == 200 || list.statusCode() == 204, list.statusCode() + " " + list.body());
            assertEquals(Set.of("GET", "HEAD", "OPTIONS"), allowed(list));
            assertEquals(Set.of("GET", "HEAD", "OPTIONS"), allowed(options("things/billing", token)));
        }
        assertEquals(401, options("things/forgotten", null).statusCode());
        assertProblem(options("things/forgotten", "admin"), 403,
                "this endpoint declares no permission, so nobody may call it");
    }

    private static Set<String> allowed(HttpResponse<String> response) {
        return Arrays.stream(response.headers().firstValue("Allow").orElse("").split(","))
                .map(String::strip).collect(Collectors.toSet());
    }
}
