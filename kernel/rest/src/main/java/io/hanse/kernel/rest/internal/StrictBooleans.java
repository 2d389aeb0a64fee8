package io.hanse.kernel.rest.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Locale;
import javax.ws.rs.ext.ParamConverter;
import javax.ws.rs.ext.ParamConverterProvider;

/**
 * Reads boolean parameters as {@code true} or {@code false} only, in any case. JAX-RS would read
 * anything else, such as {@code yes} or {@code 1}, as false, and answer what the caller did not ask.
 */
final class StrictBooleans implements ParamConverterProvider {

    /**
     * A value that is neither; not an {@link IllegalArgumentException}, which Jersey answers with
     * the parameter's default value.
     */
    static final class NotABoolean extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotABoolean() {
            super("must be true or false", null, false, false);
        }
    }

    private static final ParamConverter<Boolean> CONVERTER = new ParamConverter<>() {
        @Override
        public Boolean fromString(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new NotABoolean();
            };
        }

        @Override
        public String toString(Boolean value) {
            return value.toString();
        }
    };

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        return rawType == boolean.class || rawType == Boolean.class ? (ParamConverter<T>) CONVERTER : null;
    }
}
