package io.hanse.kernel.agents.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Reads a JSON value as its compact text, without building a tree of it: what the server passes on
 * as text, such as an observation's body, is read once rather than read, written and read again.
 * Numbers keep every digit they were sent with.
 */
public final class JsonText extends StdDeserializer<String> {

    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    public JsonText() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(text)) {
            // Token by token, each number exactly as sent: copyCurrentStructure would pass decimals through double.
            int depth = 0;
            do {
                JsonToken token = parser.currentToken();
                generator.copyCurrentEventExact(parser);
                depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
            } while (depth > 0 && parser.nextToken() != null);
        }
        return text.toString();
    }
}
