package io.hanse.kernel.rest.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.TooLargeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.MediaType;

/**
 * Accepts request bodies only as JSON, only up to the configured size, whether the client declares
 * the length or streams the body in chunks, in UTF-8 (RFC 8259), and without the character NUL
 * (U+0000) in any string: JSON allows it, escaped, but PostgreSQL stores no NUL in text, so it would
 * fail where the text is stored, as a server error or, written later, not at all. Refusing it here
 * covers every resource.
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
        request.setEntityStream(new CheckedInputStream(request.getEntityStream()));
    }

    private static boolean isJson(MediaType type) {
        return "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
    }

    private TooLargeException tooLarge() {
        return new TooLargeException("The request body is larger than the limit of " + maxBodyBytes + " bytes.");
    }

    /**
     * Fails the read once more than the limit has arrived, or at an escaped NUL in a string. It
     * follows strings and their escapes byte by byte, as UTF-8 allows: no byte of a character of
     * several bytes is a quote or a backslash.
     */
    private final class CheckedInputStream extends FilterInputStream {

        /** Where the scan is: outside strings, in one, just after a backslash; 0 to 3 zeros into a u escape. */
        private static final int OUTSIDE = -3;
        private static final int IN_STRING = -2;
        private static final int ESCAPED = -1;

        private long remaining = maxBodyBytes;
        private int state = OUTSIDE;
        private long scanned;

        CheckedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
                scan(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
                for (int i = offset; i < offset + n; i++) {
                    scan(buffer[i]);
                }
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

        private void scan(int b) {
            scanned++;
            if (b == 0) {
                // Never in UTF-8 JSON; in UTF-16 or UTF-32, which Jackson would read, on every ASCII character.
                throw new InvalidRequestException("The request body holds a zero byte at byte " + scanned
                        + ": JSON is taken in UTF-8 only (RFC 8259).");
            }
            switch (state) {
                case OUTSIDE -> state = b == '"' ? IN_STRING : OUTSIDE;
                case IN_STRING -> state = b == '"' ? OUTSIDE : b == '\\' ? ESCAPED : IN_STRING;
                case ESCAPED -> state = b == 'u' ? 0 : IN_STRING;
                default -> {
                    state = b == '0' ? state + 1 : IN_STRING;
                    if (state == 4) {
                        throw new InvalidRequestException("The request body holds \\u0000 in a string, ending at byte "
                                + scanned + ": Hanse cannot store the character NUL.");
                    }
                }
            }
        }
    }
}
