package io.hanse.kernel.jetty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.core.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler in a Jetty server arranged as Pax Web arranges it: one servlet context at "/" with
 * an error handler of its own, the API's servlet at /api/v1/*, and this handler as the server's.
 * Requests go over a raw socket, as the JDK's HTTP client sends no malformed ones.
 */
class ProblemErrorHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Server server;
    private ServletContextHandler context;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.setErrorHandler(new ErrorPageErrorHandler());
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("application/json");
                response.getWriter().write("{\"served\":true}");
            }
        }), "/api/v1/*");
        server.setHandler(new ContextHandlerCollection(context));
        server.setErrorHandler(new ProblemErrorHandler());
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aWellFormedRequestReachesTheServlet() throws IOException {
        Answer answer = send("GET /api/v1/systems/web HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertEquals(200, answer.status(), answer.toString());
        assertEquals("{\"served\":true}", answer.body());
    }

    @Test
    void aPercentEncodedNulInThePathIsABadRequest() throws IOException {
        JsonNode problem = assertProblem(400, "Bad Request",
                send("GET /api/v1/systems/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));

        assertTrue(problem.path("detail").asText().contains("cannot be decoded"), problem.toString());
    }

    @Test
    void aMalformedHeaderIsNamedWithoutRepeatingIt() throws IOException {
        Answer answer = send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header<script>\r\n\r\n");

        JsonNode problem = assertProblem(400, "Bad Request", answer);
        assertTrue(problem.path("detail").asText().endsWith(" The parser reports: Illegal character SPACE."),
                problem.toString());
        assertFalse(answer.body().contains("script"), answer.body());
    }

    @Test
    void aMalformedRequestLineIsNamedWithoutRepeatingIt() throws IOException {
        Answer answer = send("G<E>T /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        JsonNode problem = assertProblem(400, "Bad Request", answer);
        assertTrue(problem.path("detail").asText().endsWith(" The parser reports: Illegal character VCHAR."),
                problem.toString());
    }

    @Test
    void aRequestLineOverTheLimitIsTooLongAndTheDetailSaysTheLimit() throws IOException {
        String path = "/api/v1/systems/" + "a".repeat(10_000);

        Answer answer = send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        JsonNode problem = assertProblem(414, "Request-URI Too Long", answer);
        assertEquals("The request line is longer than this server accepts (the request line and header fields"
                + " together: at most 8192 bytes); shorten the path or the query.", problem.path("detail").asText());
        assertFalse(answer.body().contains("aaaa"), answer.body());
    }

    @Test
    void headerFieldsOverTheLimitAreTooLarge() throws IOException {
        Answer answer = send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "b".repeat(10_000) + "\r\n\r\n");

        JsonNode problem = assertProblem(431, "Request Header Fields Too Large", answer);
        assertTrue(problem.path("detail").asText().contains("at most 8192 bytes"), problem.toString());
        assertFalse(answer.body().contains("bbbb"), answer.body());
    }

    @Test
    void anUnknownHttpVersionIsNotSupported() throws IOException {
        assertProblem(505, "HTTP Version Not Supported",
                send("GET /api/v1/health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n"));
    }

    @Test
    void aRequestNoContextTakesIsToldToComeBackShortlyWhateverTheClientAccepts() throws Exception {
        context.stop(); // as while Hanse starts, or Pax Web restarts it

        Answer answer = send("GET /api/v1/systems HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
                + "Connection: close\r\n\r\n");
        JsonNode problem = assertProblem(503, "Service Unavailable", answer);

        assertEquals("10", answer.headers().get("retry-after"), answer.toString());
        assertEquals("The server cannot answer this request now, as while it starts or stops; try again shortly.",
                problem.path("detail").asText());
    }

    @Test
    void titlesAreTheReasonPhrasesTheRestLayerTakesFromJaxRs() {
        for (int status = 400; status < 600; status++) {
            Response.Status known = Response.Status.fromStatusCode(status);
            assertEquals(known == null ? "HTTP " + status : known.getReasonPhrase(), ProblemErrorHandler.title(status));
        }
    }

    @Test
    void reasonsAreCutWhereJettyStartsQuotingTheRequest() {
        assertEquals("Illegal character CNTL", ProblemErrorHandler.safeReason(400, "Illegal character CNTL=0x00"));
        assertEquals("Invalid Content-Length Value",
                ProblemErrorHandler.safeReason(400, "Invalid Content-Length Value"));
        assertNull(ProblemErrorHandler.safeReason(400, "Bad Request"), "says no more than the status");
        assertNull(ProblemErrorHandler.safeReason(414, "URI Too Long"), "says no more than the status");
        assertNull(ProblemErrorHandler.safeReason(400, "<script>"));
        assertNull(ProblemErrorHandler.safeReason(400, null));
        assertEquals(80, ProblemErrorHandler.safeReason(400, "x".repeat(500)).length());
    }

    @Test
    void quotesJsonStrings() {
        assertEquals("\"a \\\"b\\\" \\\\ \\u0000\\u001f é\"", ProblemErrorHandler.quote("a \"b\" \\ \u0000\u001f é"));
    }

    /** Asserts a problem document with this status and title, and returns it. */
    private static JsonNode assertProblem(int status, String title, Answer answer) throws IOException {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals("application/problem+json", answer.headers().get("content-type"), answer.toString());
        assertFalse(answer.body().contains("<"), answer.body());
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals("about:blank", problem.path("type").asText());
        assertEquals(title, problem.path("title").asText());
        assertEquals(status, problem.path("status").asInt());
        assertFalse(problem.path("detail").asText().isBlank(), answer.body());
        assertEquals(4, problem.size(), answer.body());
        return problem;
    }

    private record Answer(int status, Map<String, String> headers, String body) { }

    /** Sends the bytes as they are and reads the answer until the server closes the connection. */
    private Answer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            String[] lines = answer.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, answer.substring(end + 4));
        }
    }
}
