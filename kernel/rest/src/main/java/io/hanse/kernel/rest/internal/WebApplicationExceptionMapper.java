package io.hanse.kernel.rest.internal;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.NoContentException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

/**
 * Gives the errors Jersey itself raises (unknown path, wrong method, unsupported media type,
 * body too large) the same problem body as all others.
 */
final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException exception) {
        Response original = exception.getResponse();
        int status = original.getStatus();
        Response problem = Problem.response(status, detailOf(exception, status));
        if (original.getHeaderString("Allow") != null) {
            return Response.fromResponse(problem).header("Allow", original.getHeaderString("Allow")).build();
        }
        return problem;
    }

    private static String detailOf(WebApplicationException exception, int status) {
        if (exception instanceof RequestBodyFilter.BodyRejectedException) {
            return exception.getMessage();
        }
        // Jersey's own messages are generic or expose internals; say what the status means here.
        return switch (status) {
            case 400 -> exception.getCause() instanceof NoContentException
                    ? "The request body is empty; a JSON document is required."
                    : "The request is not acceptable.";
            case 404 -> "There is no resource at this path.";
            case 405 -> "This resource does not support this method.";
            case 406 -> "This resource can only answer with application/json.";
            case 415 -> "The request body must be application/json.";
            default -> Response.Status.fromStatusCode(status) != null
                    ? Response.Status.fromStatusCode(status).getReasonPhrase()
                    : "HTTP " + status;
        };
    }
}
