package io.hanse.kernel.rest.internal;

import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Public;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.security.Authenticator;
import io.hanse.kernel.security.SignedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import org.glassfish.jersey.server.wadl.processor.OptionsMethodProcessor;

/**
 * Decides, before any resource method runs, who is calling and whether it may: deny by default.
 * A method must be {@link Public} or declare {@link RequiresPermission}; one that does neither is
 * refused to everyone. Only Jersey's own answer to OPTIONS, naming a path's methods, is public as well.
 * The caller is then handed to the method as {@code @Context Caller}.
 */
@Priority(Priorities.AUTHORIZATION)
final class AuthorizationFilter implements ContainerRequestFilter {

    /** The request property that holds the caller. */
    static final String CALLER = Caller.class.getName();
    /** The request property (a servlet request attribute) that holds the client's address. */
    static final String ADDRESS = RestResource.CLIENT_ADDRESS;

    private final Authenticator authenticator;
    @Context
    private ResourceInfo resource;

    AuthorizationFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(ContainerRequestContext context) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return; // nothing matched: Jersey answers 404 or 405 and runs no resource code
        }
        if (method.isAnnotationPresent(Public.class) || isJerseysOptions()) {
            context.setProperty(CALLER, Caller.anonymous());
            return;
        }
        String authorization = context.getHeaderString(HttpHeaders.AUTHORIZATION);
        Caller caller = SignedRequest.isSigned(authorization)
                ? authenticator.authenticate(signed(context, authorization))
                : authenticator.authenticate(authorization, address(context));
        if (!caller.authenticated()) {
            throw new UnauthenticatedException("credentials are required: send an API token as"
                    + " Authorization: Bearer <token>, or sign the request as an agent");
        }
        RequiresPermission required = method.getAnnotation(RequiresPermission.class);
        if (required == null) {
            throw new ForbiddenException("this endpoint declares no permission, so nobody may call it");
        }
        if (required.system().isEmpty() || required.everywhere()) {
            caller.require(required);
        } else {
            caller.require(required.value(), system(context, required.system()));
        }
        context.setProperty(CALLER, caller);
    }

    /**
     * Whether Jersey answers the request itself, with the methods a path has: OPTIONS where no resource
     * declares it. That answer tells anyone no more than a 405's Allow header does, and runs no resource code.
     */
    private boolean isJerseysOptions() {
        Class<?> handler = resource.getResourceClass();
        return handler != null && handler.getEnclosingClass() == OptionsMethodProcessor.class;
    }

    /** The slug in the named path parameter, or else query parameter. */
    private static String system(ContainerRequestContext context, String parameter) {
        String slug = context.getUriInfo().getPathParameters().getFirst(parameter);
        if (slug == null) {
            slug = context.getUriInfo().getQueryParameters().getFirst(parameter);
        }
        if (slug == null || slug.isBlank()) {
            throw new InvalidRequestException("parameter " + parameter + " is required");
        }
        return slug;
    }

    /**
     * The request as its signature covers it; the body is read here, within the size limit, and kept for the resource.
     */
    private static SignedRequest signed(ContainerRequestContext context, String authorization) {
        byte[] body = new byte[0];
        if (context.hasEntity()) {
            try {
                body = context.getEntityStream().readAllBytes();
            } catch (IOException e) {
                throw new InvalidRequestException("the request body could not be read: " + e.getMessage());
            }
            context.setEntityStream(new ByteArrayInputStream(body));
        }
        URI uri = context.getUriInfo().getRequestUri();
        String target = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        return new SignedRequest(authorization, context.getMethod(), target, body, address(context));
    }

    private static String address(ContainerRequestContext context) {
        Object address = context.getProperty(ADDRESS);
        return address == null ? "unknown" : address.toString();
    }
}
