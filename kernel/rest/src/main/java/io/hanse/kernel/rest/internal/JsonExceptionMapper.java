package io.hanse.kernel.rest.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hanse.api.HanseException;
import io.hanse.api.Messages;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

/** Turns a request body Jackson cannot read into a 400 that names the place and the problem. */
final class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    private static final Set<Class<?>> WHOLE = Set.of(Integer.class, int.class, Long.class, long.class,
            Short.class, short.class, Byte.class, byte.class, BigInteger.class);

    @Override
    public Response toResponse(JsonProcessingException exception) {
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof HanseException refused) {
                // A type's constructor refused a value, or the body's stream refused what came next
                // while Jackson was binding it (and wrapped that without a parser).
                return HanseExceptionMapper.responseOf(refused);
            }
        }
        boolean whileReading = exception.getProcessor() instanceof JsonParser
                || exception instanceof StreamConstraintsException;
        if (!whileReading || exception instanceof InvalidDefinitionException) {
            // Writing a response, or a type Jackson cannot handle at all: a server bug, not bad input.
            return UnexpectedExceptionMapper.incident(exception);
        }
        return Problem.response(400, detailOf(exception));
    }

    static String detailOf(JsonProcessingException exception) {
        if (exception instanceof StreamConstraintsException) {
            return "The request body exceeds a JSON limit: " + exception.getOriginalMessage();
        }
        if (exception instanceof JsonParseException) {
            return "The request body is not valid JSON" + at(exception.getLocation()) + ": "
                    + exception.getOriginalMessage();
        }
        if (exception instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field " + field(unknown) + "; known fields are "
                    + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(", "));
        }
        if (exception instanceof MismatchedInputException mismatch) {
            Class<?> type = mismatch.getTargetType();
            if (mismatch.getPath().isEmpty()) {
                return "The request body has the wrong shape: expected " + expected(type);
            }
            String field = "Field " + field(mismatch);
            if (mismatch.getOriginalMessage().startsWith("Cannot map `null`")) {
                return field + " is required: expected " + expected(type);
            }
            String text = wrongFormat(mismatch);
            if (text != null) {
                return field + " has the wrong format: " + Messages.quote(text) + "; expected " + expected(type);
            }
            return field + " has the wrong type: expected " + expected(type);
        }
        InputCoercionException coercion = outOfRange(exception);
        if (coercion != null) {
            return (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                    ? "Field " + field(mapping) : "A number in the request body" + at(coercion.getLocation()))
                    + " is out of range: expected " + expected(coercion.getTargetType());
        }
        // Other failures carry messages about Java types; say only where the body went wrong.
        return "The request body cannot be read" + at(exception.getLocation())
                + ": a field is missing, or has a value that is not valid.";
    }

    /** Returns the failure or its cause that says a number does not fit its field; {@code null} if none does. */
    private static InputCoercionException outOfRange(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InputCoercionException coercion) {
                return coercion;
            }
        }
        return null;
    }

    /**
     * Returns the string given for a type that JSON writes as a string but that cannot read it, such as
     * a time in another format; {@code null} for any other failure. Jackson refuses a value of the wrong
     * JSON type the same way: a string for a number or for true and false, a number for an id.
     */
    private static String wrongFormat(MismatchedInputException mismatch) {
        Class<?> type = mismatch.getTargetType();
        if (!(mismatch instanceof InvalidFormatException invalid && invalid.getValue() instanceof String text)
                || type == null || type.isPrimitive() || Number.class.isAssignableFrom(type) || type == Boolean.class) {
            return null;
        }
        // A number or true given for an id is read as text too; the parser, still at the value, tells them apart.
        return mismatch.getProcessor() instanceof JsonParser parser && parser.currentToken() == JsonToken.VALUE_STRING
                ? text : null;
    }

    /** Names what a Java type is read from, in the terms of JSON and of the API's documentation. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (WHOLE.contains(type)) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class) {
            return "a time such as 2026-12-07T10:15:00Z";
        }
        if (type == Duration.class || type == Period.class) {
            return "a duration such as PT30M or P30D";
        }
        if (type == UUID.class) {
            return "an id (a UUID)";
        }
        if (type.isEnum()) {
            return "one of its names";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Names the field, such as {@code 'tags[0]'}: its names are the client's, so it is quoted through Messages. */
    private static String field(JsonMappingException exception) {
        return Messages.quote(exception.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "["));
    }
}
