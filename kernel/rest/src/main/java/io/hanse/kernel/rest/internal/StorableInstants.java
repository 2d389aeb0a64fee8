package io.hanse.kernel.rest.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Reads times in request bodies as Jackson does, but only as ISO-8601 strings, as the API documents
 * them, and only those the database can store: a year such as +300000 would otherwise reach it and
 * fail there, as if the database were down. Jackson would read a number, or a string of digits, as
 * seconds since 1970: {@code 1765000000} meant for a time in 2026 would be 2025-12-06T05:46:40Z.
 */
final class StorableInstants extends StdDeserializer<Instant> {

    /** What Jackson reads as seconds since 1970 in a string: digits, perhaps signed, with one point at most. */
    private static final Pattern SECONDS = Pattern.compile("\\s*[+-]?[0-9]*\\.?[0-9]*\\s*");

    StorableInstants() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        // Refused as Jackson refuses a value of another JSON type, or a string in another format.
        if (parser.currentToken().isNumeric()) {
            return (Instant) context.handleUnexpectedToken(Instant.class, parser);
        }
        if (parser.currentToken() == JsonToken.VALUE_STRING && SECONDS.matcher(parser.getText()).matches()
                && !parser.getText().isBlank()) {
            return (Instant) context.handleWeirdStringValue(Instant.class, parser.getText(), "seconds, not a time");
        }
        String name = parser.currentName() == null ? "a time" : parser.currentName();
        try {
            return Parameters.storable(name, InstantDeserializer.INSTANT.deserialize(parser, context));
        } catch (InvalidRequestException outOfRange) {
            throw JsonMappingException.from(parser, outOfRange.getMessage(), outOfRange);
        } catch (DateTimeException beyondInstant) {
            // Past what an Instant holds at all.
            InvalidRequestException refused = Parameters.notStorable(name, parser.getText());
            throw JsonMappingException.from(parser, refused.getMessage(), refused);
        }
    }
}
