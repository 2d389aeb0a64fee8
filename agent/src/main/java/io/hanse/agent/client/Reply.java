package io.hanse.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.hanse.agent.common.Json;
import io.hanse.agent.common.Text;
import java.time.Duration;
import java.util.Optional;

/**
 * The server's answer to one request, or why there was none. Everything in it is untrusted.
 *
 * @param status the HTTP status, or 0 if no answer came (connection refused, timeout, answer too large)
 * @param body the answer's body, at most {@link HanseClient#MAX_RESPONSE_BYTES}
 * @param mediaType the answer's {@code Content-Type} in lower case without parameters, or an empty string
 * @param retryAfter the {@code Retry-After} delay, if the answer gave one in seconds
 * @param failure why no answer came, or {@code null}
 */
public record Reply(int status, byte[] body, String mediaType, Optional<Duration> retryAfter, String failure) {

    /** The media type of an RFC 9457 problem document, the shape of every error Hanse answers with. */
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final int MAX_DETAIL_CHARS = 300;

    /** Returns a reply for a request that got no answer. */
    static Reply failed(String failure) {
        return new Reply(0, new byte[0], "", Optional.empty(), failure);
    }

    /** Returns whether the server answered with a 2xx status. */
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * Returns whether the answer is a problem document, as every error of Hanse's is: an error page of
     * a proxy, a firewall or another web server in between is not.
     */
    public boolean isProblem() {
        return PROBLEM_JSON.equals(mediaType);
    }

    /** Returns the body as JSON, or a missing node if it is not JSON. */
    public JsonNode json() {
        return body.length == 0 ? MissingNode.getInstance() : Json.parse(body);
    }

    /**
     * Returns what went wrong, fit for a log line: the status and the problem's {@code detail} if it
     * has one, or why no answer came.
     */
    public String problem() {
        if (status == 0) {
            return Text.printable(failure, MAX_DETAIL_CHARS);
        }
        String detail = detail();
        return "HTTP " + status + (detail.isEmpty() ? "" : ": " + Text.printable(detail, MAX_DETAIL_CHARS));
    }

    /**
     * Returns {@link #problem()}, or only the status if what it would quote holds {@code token}, the enrollment
     * token sent: Hanse never repeats the token, so such words come from a confused or hostile server, or hold a
     * token short enough to be in any text. Masking the token in them instead would mangle the words around a
     * short one, and miss one that the cut at {@value #MAX_DETAIL_CHARS} characters leaves only the start of.
     */
    public String problemWithout(String token) {
        String words = status == 0 ? failure : detail();
        // As printed (control characters as ?), but whole, so that a token the cut would split is found.
        if (!Text.printable(words, words.length()).contains(token)) {
            return problem();
        }
        return (status == 0 ? "no answer" : "HTTP " + status) + " (the rest is not shown: it holds the token)";
    }

    /** Returns the problem's {@code detail} as the server wrote it, or an empty string if it has none. */
    public String detail() {
        JsonNode detail = json().path("detail");
        return detail.isTextual() ? detail.textValue() : "";
    }
}
