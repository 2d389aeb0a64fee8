package io.hanse.kernel.rest.internal;

import io.hanse.api.UnavailableException;
import io.hanse.api.store.DatabaseFailures;
import io.hanse.api.store.FailureLog;
import java.time.Clock;
import java.util.UUID;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the other mappers do not know, as {@link DatabaseFailures#known} tells it. A kernel
 * exception wrapped by a library still gets its own status; a database failure that a retry may cure,
 * or a pool without a connection to hand out, is a 503 with {@code Retry-After}; anything else is a
 * bug or an unexpected failure: the client gets an incident id to quote and no internals, the log
 * gets the stack trace under the same id.
 * <p>
 * That holds for a value the database refuses (SQLSTATE class 22) too: input is checked where it
 * arrives, so such a value is one Hanse made, or took from a peer or a plugin, or let through by
 * mistake, and a 400 would blame the client and leave no trace of the bug.
 */
final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);
    /**
     * Says that requests fail as the database cannot be reached, each agent's every few seconds while it
     * is away, without a line for each. A request that works is not told to it, so it never says that the
     * database is back; the background loops say that. One for all requests, which run at once.
     */
    private static final FailureLog UNREACHABLE = new FailureLog(LOG, "Requests reach the database",
            Clock.systemUTC());

    @Override
    public Response toResponse(Throwable exception) {
        return DatabaseFailures.known(exception).map(known -> {
            if (known instanceof UnavailableException) {
                UNREACHABLE.failed("Requests fail: the database cannot be reached; clients are told to try again",
                        exception);
            }
            return HanseExceptionMapper.responseOf(known);
        }).orElseGet(() -> incident(exception));
    }

    /** Logs a failure under a new incident id and answers 500 with that id only. */
    static Response incident(Throwable exception) {
        String incident = UUID.randomUUID().toString();
        LOG.error("Incident {}: request failed unexpectedly", incident, exception);
        return Problem.response(500, "The request failed unexpectedly; the server log has the details"
                + " under incident " + incident + ".");
    }
}
