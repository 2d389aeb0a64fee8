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
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Reads times in request bodies as Jackson does, but only those the database can store: a year
 * such as +300000 would otherwise reach it and fail there, as if the database were down.
 */
final class StorableInstants extends StdDeserializer<Instant> {

    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Instant.MAX.getEpochSecond());

    StorableInstants() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String name = parser.currentName() == null ? "a time" : parser.currentName();
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT
                && parser.getDecimalValue().abs().compareTo(MAX_SECONDS) > 0) {
            // Jackson reads a decimal such as 1e64, whose exponent it will not expand, as epoch 0.
            InvalidRequestException refused = Parameters.notStorable(name, parser.getText());
            throw JsonMappingException.from(parser, refused.getMessage(), refused);
        }
        try {
            return Parameters.storable(name, InstantDeserializer.INSTANT.deserialize(parser, context));
        } catch (InvalidRequestException outOfRange) {
            throw JsonMappingException.from(parser, outOfRange.getMessage(), outOfRange);
        } catch (DateTimeException beyondInstant) {
            // Epoch seconds such as 9223372036854775807: past what an Instant holds at all.
            InvalidRequestException refused = Parameters.notStorable(name, parser.getText());
            throw JsonMappingException.from(parser, refused.getMessage(), refused);
        }
    }
}
