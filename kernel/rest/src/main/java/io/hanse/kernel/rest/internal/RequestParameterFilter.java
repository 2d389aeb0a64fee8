package io.hanse.kernel.rest.internal;

import io.hanse.api.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.UriInfo;

/**
 * Accepts query and path parameters only as text Hanse can store: percent-encoded UTF-8 without
 * the character NUL (U+0000). Jersey decodes bytes that are not UTF-8 into U+FFFD without a word,
 * so a resource would look up or store other text than the client sent; PostgreSQL stores no NUL
 * in text, so a query with it would fail as a server error. Refusing both here covers every
 * resource, before the authorization filter hands a parameter (a system's slug) to a permission
 * check.
 */
@Priority(Priorities.AUTHENTICATION)
final class RequestParameterFilter implements ContainerRequestFilter {

    /** Bytes in a row, each percent-encoded: together they must be whole UTF-8 characters. */
    private static final Pattern ENCODED_BYTES = Pattern.compile("(?:%\\p{XDigit}{2})+");

    @Override
    public void filter(ContainerRequestContext request) {
        UriInfo uri = request.getUriInfo();
        check("path", uri.getPathParameters(false));
        check("query", uri.getQueryParameters(false));
    }

    /** Checks values as they came, still encoded: decoded, bytes that are not UTF-8 are lost. */
    private static void check(String kind, MultivaluedMap<String, String> parameters) {
        parameters.forEach((name, values) -> values.forEach(value -> check(kind, name, value)));
    }

    private static void check(String kind, String name, String encoded) {
        // Outside its escapes a URI holds no NUL and no bytes, only characters the server has read.
        Matcher escapes = ENCODED_BYTES.matcher(encoded);
        while (escapes.find()) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .decode(ByteBuffer.wrap(HexFormat.of().parseHex(escapes.group().replace("%", ""))))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new InvalidRequestException("The " + kind + " parameter '" + name
                        + "' must be UTF-8 where percent-encoded; " + escapes.group() + " is not.");
            }
            if (text.indexOf('\0') >= 0) {
                throw new InvalidRequestException("The " + kind + " parameter '" + name
                        + "' must not contain the character U+0000 (NUL).");
            }
        }
    }
}
