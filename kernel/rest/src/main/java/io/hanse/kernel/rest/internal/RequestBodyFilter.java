package io.hanse.kernel.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.MediaType;

/**
 * Accepts request bodies only as JSON and only up to the configured size, whether the client
 * declares the length or streams the body in chunks.
 */
@PreMatching
final class RequestBodyFilter implements ContainerRequestFilter {

    private final int maxBodyBytes;

    RequestBodyFilter(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!request.hasEntity()) {
            return;
        }
        MediaType type = request.getMediaType();
        if (type == null || !isJson(type)) {
            throw new WebApplicationException("The request body must be application/json, not "
                    + (type == null ? "untyped" : type.getType() + "/" + type.getSubtype()) + ".", 415);
        }
        if (request.getLength() > maxBodyBytes) {
            throw tooLarge();
        }
        request.setEntityStream(new LimitedInputStream(request.getEntityStream()));
    }

    private static boolean isJson(MediaType type) {
        return "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
    }

    private WebApplicationException tooLarge() {
        return new WebApplicationException("The request body is larger than the limit of "
                + maxBodyBytes + " bytes.", 413);
    }

    /** Fails the read once more than the limit has arrived. */
    private final class LimitedInputStream extends FilterInputStream {

        private long remaining = maxBodyBytes;

        LimitedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            remaining -= n;
            if (remaining < 0) {
                throw tooLarge();
            }
        }
    }
}
