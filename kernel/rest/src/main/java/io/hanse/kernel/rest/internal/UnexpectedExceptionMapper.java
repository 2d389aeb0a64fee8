package io.hanse.kernel.rest.internal;

import java.util.UUID;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort: a bug or an unexpected failure. The client gets an incident id to quote and
 * no internals; the log gets the stack trace under the same id.
 */
final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable exception) {
        String incident = UUID.randomUUID().toString();
        LOG.error("Incident {}: request failed unexpectedly", incident, exception);
        return Problem.response(500, "The request failed unexpectedly; the server log has the details"
                + " under incident " + incident + ".");
    }
}
