package io.hanse.kernel.rest.internal;

import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.HanseException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooLargeException;
import io.hanse.api.TooManyRequestsException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.UnavailableException;
import io.hanse.kernel.security.SignedRequest;
import java.util.List;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

/** Maps each of the kernel's exceptions to its one HTTP status. */
final class HanseExceptionMapper implements ExceptionMapper<HanseException> {

    @Override
    public Response toResponse(HanseException exception) {
        return responseOf(exception);
    }

    /** The problem response to an exception, with the headers its status calls for. */
    static Response responseOf(HanseException exception) {
        Response response = Problem.response(statusOf(exception), exception.getMessage());
        if (exception instanceof UnauthenticatedException) {
            response.getHeaders().put(HttpHeaders.WWW_AUTHENTICATE, List.of("Bearer realm=\"hanse\"",
                    SignedRequest.SCHEME + " realm=\"hanse\""));
        } else if (exception instanceof TooManyRequestsException tooMany) {
            response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, tooMany.retryAfter().toSeconds());
        } else if (exception instanceof UnavailableException unavailable) {
            unavailable.retryAfter().ifPresent(wait -> response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER,
                    wait.toSeconds()));
        }
        return response;
    }

    static int statusOf(HanseException exception) {
        if (exception instanceof NotFoundException) {
            return 404;
        }
        if (exception instanceof InvalidRequestException) {
            return 400;
        }
        if (exception instanceof ConflictException) {
            return 409;
        }
        if (exception instanceof ForbiddenException) {
            return 403;
        }
        if (exception instanceof UnavailableException) {
            return 503;
        }
        if (exception instanceof TooLargeException) {
            return 413;
        }
        if (exception instanceof UnauthenticatedException) {
            return 401;
        }
        if (exception instanceof TooManyRequestsException) {
            return 429;
        }
        throw new IllegalStateException("No status for " + exception.getClass().getName());
    }
}
