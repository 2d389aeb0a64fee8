package io.hanse.kernel.rest.internal;

import io.hanse.api.security.Caller;
import java.util.function.Supplier;
import javax.inject.Inject;
import javax.inject.Provider;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.process.internal.RequestScoped;
import org.glassfish.jersey.server.ContainerRequest;

/** Lets resource methods take the request's caller as a {@code @Context Caller} parameter. */
final class CallerBinder extends AbstractBinder {

    /** Reads the caller the {@link AuthorizationFilter} decided on. */
    static final class CallerSupplier implements Supplier<Caller> {

        private final Provider<ContainerRequest> request;

        @Inject
        CallerSupplier(Provider<ContainerRequest> request) {
            this.request = request;
        }

        @Override
        public Caller get() {
            return (Caller) request.get().getProperty(AuthorizationFilter.CALLER);
        }
    }

    @Override
    protected void configure() {
        bindFactory(CallerSupplier.class).to(Caller.class).proxy(false).in(RequestScoped.class);
    }
}
