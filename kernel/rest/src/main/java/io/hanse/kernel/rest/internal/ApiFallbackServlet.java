package io.hanse.kernel.rest.internal;

import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * Answers what reaches {@code /api} but not the REST API, with a problem document as every other
 * error of the API, not the HTTP server's HTML page: {@code /api} itself or a version Hanse does
 * not serve (404), and {@code /api/v1} while the REST servlet is not registered, as when its
 * bundle restarts (503). The REST servlet's longer pattern takes every request it serves.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=hanse-api-fallback",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/api/*"})
public final class ApiFallbackServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The REST API's path under {@code /api}. */
    private static final String VERSION = RestServer.BASE.substring("/api".length());
    /** How soon a request refused while the REST API, or a part of Hanse, is not there may be sent again. */
    static final String RETRY_AFTER_SECONDS = "10";
    /** What a request to the REST API gets while it is not there. */
    static final String STARTING_OR_STOPPING = "The REST API is starting or stopping; try again shortly.";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        Problem problem = path.equals(VERSION) || path.startsWith(VERSION + "/")
                ? Problem.of(HttpServletResponse.SC_SERVICE_UNAVAILABLE, STARTING_OR_STOPPING)
                : Problem.of(HttpServletResponse.SC_NOT_FOUND, "Hanse serves its REST API under " + RestServer.BASE
                        + "; there is nothing else under /api.");
        write(response, problem);
    }

    /**
     * Answers with a problem document, as the REST API does; a 503 with a {@code Retry-After} of
     * {@value #RETRY_AFTER_SECONDS} seconds, after which agents send what they keep again.
     */
    static void write(HttpServletResponse response, Problem problem) throws IOException {
        byte[] body = RestApplication.MAPPER.writeValueAsBytes(problem);
        response.setStatus(problem.status());
        if (problem.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
