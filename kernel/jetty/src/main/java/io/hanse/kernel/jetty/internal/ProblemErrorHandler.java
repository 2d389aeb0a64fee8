package io.hanse.kernel.jetty.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Answers the requests Jetty refuses itself with the RFC 9457 problem document that every other
 * Hanse error has ({@code type}, {@code title}, {@code status}, {@code detail}, as
 * {@code io.hanse.kernel.rest.internal.Problem} writes them), instead of Jetty's HTML page.
 *
 * <p>Jetty answers two kinds of request without any servlet:
 * <ul>
 * <li>those its parser refuses: a malformed request line or header, a path it cannot decode (such
 *     as {@code %00}), a request line or header fields over its size limit (414, 431). It knows no
 *     path for them, so every one is answered here ({@link #badMessageError}); this server serves
 *     the REST API and nothing a browser reads.</li>
 * <li>those that reach no servlet context at all, as while Hanse starts and Pax Web restarts one
 *     ({@link #generateAcceptableResponse}): 503, not 404.</li>
 * </ul>
 * Errors inside Pax Web's servlet context (such as a path no servlet serves) are not seen here:
 * each context has an error handler of its own.
 *
 * <p>How it gets installed: Pax Web 8 creates the server itself and offers three hooks. It adds
 * Jetty {@code HttpConfiguration.Customizer} services to its connectors, but they see only requests
 * the parser accepted. It adds Jetty {@code Handler} services to the server's handlers, but they do
 * not reach the server's error handler either, and each one registered or unregistered makes Pax
 * Web discard and recreate the whole server (8.0.34 also opens that service tracker before it
 * creates its server factory, so a handler service present before Pax Web's Jetty bundle starts
 * breaks that start). And it reads the files named by {@code org.ops4j.pax.web.config.file}, and
 * {@code /jetty.xml} from its Jetty bundle's class path, both with that bundle's class loader, so a
 * class they name must be visible to that bundle either way. Hence a fragment of Pax Web's Jetty
 * bundle, holding this class and a {@code jetty.xml} that makes it the server's error handler each
 * time Pax Web creates a server: no setting and no file in {@code etc/}, no service, nothing that
 * depends on start order. The fragment attaches when its host resolves (Karaf refreshes the host
 * when the fragment comes later) and stays attached across bundle and container restarts. An
 * operator's own {@code org.ops4j.pax.web.config.file} still applies, but Pax Web reads this one
 * after it, so an error handler set there is replaced by this one. Were the class ever not found,
 * Pax Web would log a warning and give the server Jetty's own error handler; it does not fail to
 * start over its {@code jetty.xml}.
 *
 * <p>This class has no dependencies beyond what the host bundle imports, and never repeats what
 * the client sent: Jetty's reasons are cut where they start quoting the request.
 */
public class ProblemErrorHandler extends ErrorHandler {

    static final String MEDIA_TYPE = "application/problem+json";

    /** How soon a client refused while Hanse starts or stops may try again, as the REST API's 503s say. */
    static final String RETRY_AFTER_SECONDS = "10";

    /** Longest part of Jetty's reason shown in a detail. */
    private static final int MAX_REASON = 80;

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        fields.put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
        return ByteBuffer.wrap(problem(status, reason));
    }

    /**
     * Answers whatever the client accepts: Hanse's errors have one shape. A request that reached no
     * servlet context came while Hanse's is not there, as it starts or stops: it is answered 503 with
     * a {@code Retry-After}, not 404, as its path may well be served a moment later. Agents keep what
     * they send and come back after it, and a health check does not take the instance for a
     * misconfigured one.
     */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        int status = code;
        if (code == HttpStatus.NOT_FOUND_404) {
            status = HttpStatus.SERVICE_UNAVAILABLE_503;
            response.setStatus(status);
            response.setHeader(HttpHeader.RETRY_AFTER.asString(), RETRY_AFTER_SECONDS);
        }
        byte[] body = problem(status, message);
        baseRequest.setHandled(true);
        response.setContentType(MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Returns the problem document for a status and Jetty's reason for it, as UTF-8 JSON. */
    byte[] problem(int status, String reason) {
        return ("{\"type\":\"about:blank\",\"title\":" + quote(title(status)) + ",\"status\":" + status
                + ",\"detail\":" + quote(detail(status, reason)) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private String detail(int status, String reason) {
        String said = safeReason(status, reason);
        return switch (status) {
            case 400 -> "The request is not well-formed HTTP, or its path cannot be decoded (such as a"
                    + " percent-encoded NUL, %00, or a broken percent escape); the server refused it before"
                    + " any resource saw it." + (said == null ? "" : " The parser reports: " + said + ".");
            case 414 -> "The request line is longer than this server accepts" + limit()
                    + "; shorten the path or the query.";
            case 431 -> "The header fields are larger than this server accepts" + limit()
                    + "; send fewer or shorter ones.";
            case 500 -> "The server failed to answer this request; its log says why.";
            case 503 -> "The server cannot answer this request now, as while it starts or stops; try again"
                    + " shortly.";
            case 505 -> "This HTTP version is not supported; use HTTP/1.1.";
            default -> "The server refused the request before any resource saw it"
                    + (said == null ? "." : ": " + said + ".");
        };
    }

    /**
     * Returns the start of Jetty's reason up to the first character that is not a letter, digit,
     * space or hyphen, or {@code null} when it says no more than the status. Jetty's parser quotes
     * what it refused after such a character ({@code Illegal character VCHAR='<'}).
     */
    static String safeReason(int status, String reason) {
        if (reason == null) {
            return null;
        }
        int end = 0;
        while (end < reason.length() && end < MAX_REASON && isPlain(reason.charAt(end))) {
            end++;
        }
        String start = reason.substring(0, end).strip();
        boolean sameAsStatus = start.equalsIgnoreCase(title(status))
                || start.equalsIgnoreCase(HttpStatus.getMessage(status));
        return start.isEmpty() || sameAsStatus ? null : start;
    }

    private static boolean isPlain(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' || c == '-';
    }

    /** Says how many bytes the request line and header fields may have, if every connector says the same. */
    private String limit() {
        Server server = getServer();
        Set<Integer> sizes = new HashSet<>();
        if (server != null) {
            for (Connector connector : server.getConnectors()) {
                HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
                if (http != null) {
                    sizes.add(http.getHttpConfiguration().getRequestHeaderSize());
                }
            }
        }
        return sizes.size() == 1
                ? " (the request line and header fields together: at most " + sizes.iterator().next() + " bytes)"
                : "";
    }

    /**
     * Returns the reason phrase JAX-RS 2.1 gives the status, which the REST layer's problems carry
     * as their title, or {@code HTTP <status>} for a status it does not know.
     */
    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Requested Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            case 511 -> "Network Authentication Required";
            default -> "HTTP " + status;
        };
    }

    /** Returns the text as a JSON string. */
    static String quote(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
