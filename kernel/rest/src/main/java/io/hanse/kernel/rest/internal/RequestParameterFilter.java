package io.hanse.kernel.rest.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.UriInfo;

/**
 * Accepts query and path parameters only as text Hanse can store: percent-encoded UTF-8 without
 * the character NUL (U+0000). Jersey decodes bytes that are not UTF-8 into U+FFFD without a word,
 * so a resource would look up or store other text than the client sent; PostgreSQL stores no NUL
 * in text, so a query with it would fail as a server error. Refusing both here covers every
 * resource, before the authorization filter hands a parameter (a system's slug) to a permission
 * check.
 * <p>
 * A query parameter the resource does not take is refused too, naming those it takes, as an
 * unknown field of a body is: a filter misspelt ({@code types=} for {@code type=}) would otherwise
 * be dropped without a word, and the answer taken for a filtered one. So is one given twice where the
 * resource takes one value ({@code limit=1&limit=2}), of which Jersey would take the first without a word.
 */
@Priority(Priorities.AUTHENTICATION)
final class RequestParameterFilter implements ContainerRequestFilter {

    /** Bytes in a row, each percent-encoded: together they must be whole UTF-8 characters. */
    private static final Pattern ENCODED_BYTES = Pattern.compile("(?:%\\p{XDigit}{2})+");

    /** The query parameters each resource method takes, as it is first called: each, whether it takes several. */
    private final Map<Method, Map<String, Boolean>> taken = new ConcurrentHashMap<>();
    @Context
    private ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        UriInfo uri = request.getUriInfo();
        check("path", uri.getPathParameters(false));
        MultivaluedMap<String, String> query = uri.getQueryParameters(false);
        check("query", query);
        Method method = resource.getResourceMethod();
        if (method != null && !query.isEmpty()) {
            Map<String, Boolean> known = taken.computeIfAbsent(method, RequestParameterFilter::queryParameters);
            query.keySet().stream().filter(name -> !known.containsKey(name)).sorted().findFirst().ifPresent(name -> {
                throw new InvalidRequestException("Unknown query parameter " + Messages.quote(name) + "; "
                        + (known.isEmpty() ? "this endpoint takes none" : "known ones are "
                                + String.join(", ", new TreeSet<>(known.keySet()))));
            });
            query.entrySet().stream().filter(given -> given.getValue().size() > 1 && !known.get(given.getKey()))
                    .map(Map.Entry::getKey).sorted().findFirst().ifPresent(name -> {
                        throw new InvalidRequestException("The query parameter " + Messages.quote(name) + " is given "
                                + query.get(name).size() + " times; it takes one value");
                    });
        }
    }

    /** Returns the names of the query parameters a resource method takes, each with whether it takes several. */
    private static Map<String, Boolean> queryParameters(Method method) {
        return Arrays.stream(method.getParameters())
                .filter(parameter -> parameter.isAnnotationPresent(QueryParam.class))
                .collect(Collectors.toUnmodifiableMap(parameter -> parameter.getAnnotation(QueryParam.class).value(),
                        parameter -> Collection.class.isAssignableFrom(parameter.getType())));
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
                throw new InvalidRequestException("The " + kind + " parameter " + Messages.quote(name)
                        + " must be UTF-8 where percent-encoded; " + escapes.group() + " is not.");
            }
            if (text.indexOf('\0') >= 0) {
                throw new InvalidRequestException("The " + kind + " parameter " + Messages.quote(name)
                        + " must not contain the character U+0000 (NUL).");
            }
        }
    }
}
