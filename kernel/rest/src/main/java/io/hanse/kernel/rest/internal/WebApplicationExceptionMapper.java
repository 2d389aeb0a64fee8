package io.hanse.kernel.rest.internal;

import java.util.Locale;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.NoContentException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.glassfish.jersey.server.ParamException;

/**
 * Gives the errors raised through JAX-RS (unknown path, wrong method, unsupported media type,
 * body too large, or thrown by a resource) the same problem body as all others, keeping their
 * status and headers.
 */
final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException exception) {
        if (exception instanceof ParamException parameter) {
            String kind = parameter.getParameterType().getSimpleName().replace("Param", "").toLowerCase(Locale.ROOT);
            String rule = parameter.getCause() instanceof StrictBooleans.NotABoolean notABoolean
                    ? notABoolean.getMessage() : "has a value that is not valid here";
            return Problem.response(400, "The " + kind + " parameter '" + parameter.getParameterName() + "' " + rule
                    + ".");
        }
        Response original = exception.getResponse();
        int status = original.getStatus();
        return Response.fromResponse(original)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, detailOf(exception, status)))
                .build();
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
