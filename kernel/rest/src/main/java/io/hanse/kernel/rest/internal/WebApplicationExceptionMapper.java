package io.hanse.kernel.rest.internal;

import io.hanse.api.Messages;
import io.hanse.api.health.HealthService;
import java.util.Locale;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.NoContentException;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;
import org.glassfish.jersey.server.ParamException;

/**
 * Gives the errors raised through JAX-RS (unknown path, wrong method, unsupported media type,
 * body too large, or thrown by a resource) the same problem body as all others, keeping their
 * status and headers.
 * <p>
 * A path no resource serves is a 404 only while every part of Hanse runs. Until then the resource
 * may just not be registered yet, as while Hanse starts or restarts components after a configuration
 * change: that is a 503 with {@code Retry-After}, so that agents send their results again instead of
 * giving them up, and clients and probes are not told that a real path does not exist.
 */
final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    /** What a request to a path no resource serves gets while not every part of Hanse runs. */
    static final String NOT_ALL_RUNNING = "Part of Hanse is starting or not running, and nothing serves this"
            + " path now; try again shortly. GET /api/v1/health/details says which part.";

    private final HealthService health;
    @Context
    private ResourceInfo resource;
    @Context
    private UriInfo uri;

    /** @param health asked only when no resource matched a request */
    WebApplicationExceptionMapper(HealthService health) {
        this.health = health;
    }

    @Override
    public Response toResponse(WebApplicationException exception) {
        if (exception instanceof ParamException parameter) {
            String kind = parameter.getParameterType().getSimpleName().replace("Param", "").toLowerCase(Locale.ROOT);
            String rule = parameter.getCause() instanceof StrictBooleans.NotABoolean notABoolean
                    ? notABoolean.getMessage() : "has a value that is not valid here" + given(kind, parameter);
            return Problem.response(400, "The " + kind + " parameter '" + parameter.getParameterName() + "' " + rule
                    + ".");
        }
        Response original = exception.getResponse();
        int status = original.getStatus();
        // Jersey's own 404 when nothing matched; a resource's 404 stays one.
        if (status == 404 && resource.getResourceMethod() == null && !health.componentsUp()) {
            Response unavailable = Problem.response(503, NOT_ALL_RUNNING);
            unavailable.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, ApiFallbackServlet.RETRY_AFTER_SECONDS);
            return unavailable;
        }
        return Response.fromResponse(original)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, detailOf(exception, status)))
                .build();
    }

    /** The value a query or path parameter was given, quoted after a colon; nothing for other kinds. */
    private String given(String kind, ParamException parameter) {
        MultivaluedMap<String, String> values = switch (kind) {
            case "query" -> uri.getQueryParameters();
            case "path" -> uri.getPathParameters();
            default -> null;
        };
        String value = values == null ? null : values.getFirst(parameter.getParameterName());
        return value == null ? "" : ": " + Messages.quote(value);
    }

    private static String detailOf(WebApplicationException exception, int status) {
        String message = exception.getMessage();
        boolean generic = message == null || message.startsWith("HTTP " + status + " ");
        if (!generic) {
            return message; // written for the client by whoever threw it
        }
        // Jersey's own messages only repeat the status; say what it means here.
        return switch (status) {
            case 400 -> exception.getCause() instanceof NoContentException
                    ? "The request body is empty; a JSON document is required."
                    : null;
            case 404 -> "There is no resource at this path.";
            case 405 -> "This resource does not support this method.";
            case 406 -> "This resource can only answer with application/json.";
            case 415 -> "The request body must be application/json.";
            default -> null;
        };
    }
}
