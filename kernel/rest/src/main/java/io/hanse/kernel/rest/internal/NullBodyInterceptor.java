package io.hanse.kernel.rest.internal;

import io.hanse.api.InvalidRequestException;
import java.io.IOException;
import javax.ws.rs.ext.ReaderInterceptor;
import javax.ws.rs.ext.ReaderInterceptorContext;

/** A body of JSON {@code null} is refused here, so that no resource is ever handed a null body. */
final class NullBodyInterceptor implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body == null) {
            throw new InvalidRequestException("The request body is null; a JSON document is required.");
        }
        return body;
    }
}
