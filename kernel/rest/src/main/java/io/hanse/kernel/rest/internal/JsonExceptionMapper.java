package io.hanse.kernel.rest.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hanse.api.HanseException;
import java.util.stream.Collectors;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

/** Turns a request body Jackson cannot read into a 400 that names the place and the problem. */
final class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException exception) {
        boolean whileReading = exception.getProcessor() instanceof JsonParser
                || exception instanceof StreamConstraintsException;
        if (!whileReading || exception instanceof InvalidDefinitionException) {
            // Writing a response, or a type Jackson cannot handle at all: a server bug, not bad input.
            return UnexpectedExceptionMapper.incident(exception);
        }
        // A constructor or a reader that refused a value with a Hanse exception keeps its status and detail.
        if (exception.getCause() instanceof HanseException invalid) {
            return Problem.response(HanseExceptionMapper.statusOf(invalid), invalid.getMessage());
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
            return "Unknown field '" + path(unknown) + "'; known fields are "
                    + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(", "));
        }
        if (exception instanceof MismatchedInputException mismatch) {
            String expected = mismatch.getTargetType() == null ? "another type"
                    : mismatch.getTargetType().getSimpleName();
            if (!mismatch.getPath().isEmpty() && mismatch.getOriginalMessage().startsWith("Cannot map `null`")) {
                return "Field '" + path(mismatch) + "' is required: expected " + expected;
            }
            return mismatch.getPath().isEmpty()
                    ? "The request body has the wrong shape: expected " + expected
                    : "Field '" + path(mismatch) + "' has the wrong type: expected " + expected;
        }
        // Other failures carry messages about Java types; say only where the body went wrong.
        return "The request body cannot be read" + at(exception.getLocation())
                + ": a field is missing, or has a value that is not valid.";
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String path(JsonMappingException exception) {
        return exception.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
