package io.hanse.kernel.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.security.rest.AuditResource;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.internal.JdbcAuditLog;
import io.hanse.testing.KernelDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log's REST resource on PostgreSQL, over real HTTP: its query parameters go into SQL
 * as they come, and PostgreSQL refuses some text that Java holds.
 */
class AuditOnPostgresTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static KernelDatabase database;
    private static HttpServer server;
    private static URI base;

    @BeforeAll
    static void start() {
        database = KernelDatabase.postgres();
        JdbcAuditLog audit = new JdbcAuditLog(null, database.dataSource());
        audit.append(new AuditEntry(new Source(Source.Kind.USER, "alice"), "system.create", "system/web", null, "{}"));
        server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/v1/"),
                RestApplication.create(List.of(new AuditResource(audit)), 4096, TestAuthenticator.INSTANCE,
                        () -> true));
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        database.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer admin").build(),
                BodyHandlers.ofString());
    }

    @Test
    void nulInTheActorFilterIs400NotAServerError() throws Exception {
        HttpResponse<String> refused = get("audit?actor=al%00ice");
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.body().contains("\"detail\":\"The query parameter 'actor' must not contain the character"
                + " U+0000 (NUL).\""), refused.body());

        HttpResponse<String> found = get("audit?actor=alice");
        assertEquals(200, found.statusCode(), found.body());
        assertTrue(found.body().contains("\"actor\":\"alice\",\"action\":\"system.create\""), found.body());
    }
}
