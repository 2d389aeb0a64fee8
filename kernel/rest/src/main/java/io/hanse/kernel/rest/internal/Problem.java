package io.hanse.kernel.rest.internal;

import javax.ws.rs.core.Response;

/**
 * An RFC 9457 problem document, the body of every error response.
 *
 * @param type a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title the short, fixed summary of the status
 * @param status the HTTP status code
 * @param detail what went wrong with this request, in words the client can act on; absent when
 *     the title says it all
 */
record Problem(String type, String title, int status, String detail) {

    static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(int status, String detail) {
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String title = statusType != null ? statusType.getReasonPhrase() : "HTTP " + status;
        return new Problem("about:blank", title, status, detail);
    }

    static Response response(int status, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(of(status, detail)).build();
    }
}
