package io.hanse.kernel.rest.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hanse.api.health.HealthService;
import io.hanse.kernel.security.Authenticator;
import java.time.Instant;
import java.util.Collection;
import javax.ws.rs.ext.ContextResolver;
import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.jackson.internal.jackson.jaxrs.cfg.JaxRSFeature;
import org.glassfish.jersey.media.sse.SseFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.async.AsyncContextDelegateProviderImpl;
import org.glassfish.jersey.servlet.spi.AsyncContextDelegateProvider;
import org.glassfish.jersey.server.ServerProperties;

/** Builds the Jersey application for a given set of resources: the one place Jersey is configured. */
final class RestApplication {

    /**
     * How Hanse reads and writes JSON: ISO-8601 times the database can store, no null fields,
     * unknown fields, fields given twice and wrong types refused.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("storable-instants").addDeserializer(Instant.class, new StorableInstants()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // A field given twice is refused naming it, not read as its last value.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            // A number is not a string, nor a string a number or a boolean: no silent conversions.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private RestApplication() {
    }

    /** Hands Jackson's JAX-RS provider the mapper; a lambda would hide the type Jersey matches on. */
    private static final class MapperResolver implements ContextResolver<ObjectMapper> {
        @Override
        public ObjectMapper getContext(Class<?> type) {
            return MAPPER;
        }
    }

    /**
     * The application serving the given resources, and at {@code openapi.json} their description,
     * to callers the authenticator accepts; health tells whether a path no resource serves may be
     * one whose resource is not there yet.
     */
    static ResourceConfig create(Collection<?> resources, int maxBodyBytes, Authenticator authenticator,
            HealthService health) {
        ResourceConfig config = new ResourceConfig()
                .setApplicationName("hanse")
                // Everything is registered explicitly; nothing is discovered from the class path.
                .property(CommonProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true)
                .property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true)
                .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                .property(ServerProperties.BV_FEATURE_DISABLE, true)
                // Errors keep their problem body instead of becoming the container's HTML page.
                .property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true)
                .register(JacksonFeature.withoutExceptionMappers()
                        .jaxrsFeature(JaxRSFeature.ALLOW_EMPTY_INPUT, false))
                .register(new MapperResolver())
                // Server-sent events for live streams, on the servlet's asynchronous mode; both are
                // registered by hand, as discovery is off.
                .register(SseFeature.class)
                .register(new AbstractBinder() {
                    @Override
                    protected void configure() {
                        bind(new AsyncContextDelegateProviderImpl()).to(AsyncContextDelegateProvider.class);
                    }
                })
                .register(new AuthorizationFilter(authenticator))
                .register(new CallerBinder())
                .register(new RequestBodyFilter(maxBodyBytes))
                .register(new RequestParameterFilter())
                .register(new StrictBooleans())
                .register(new NullBodyInterceptor())
                .register(new HanseExceptionMapper())
                .register(new WebApplicationExceptionMapper(health))
                .register(new JsonExceptionMapper())
                .register(new UnexpectedExceptionMapper())
                .register(new OpenApiResource(resources));
        resources.forEach(config::register);
        return config;
    }
}
