package io.hanse.kernel.rest.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.TooLargeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/**
 * Accepts request bodies only as JSON, without a content coding such as gzip, only up to the configured
 * size, whether the client declares the length or streams the body in chunks, in UTF-8 (RFC 8259), and
 * without the character NUL (U+0000) or a lone surrogate in any string. JSON allows both, escaped, and
 * Jackson reads some bytes that are not UTF-8 as either, or as other characters; but PostgreSQL stores
 * no NUL in text, so it would fail where the text is stored, as a server error or, written later, not
 * at all, and its driver stores a lone surrogate as '?' without a word. Refusing them here covers
 * every resource.
 * A body that breaks off while it is read is refused here too, and, for any request, with a body or
 * without, an Accept header that is no list of media types and a Content-Type header that is no media type.
 */
@PreMatching
final class RequestBodyFilter implements ContainerRequestFilter {

    /** The one content coding taken: none (RFC 9110, section 8.4.1). */
    private static final String IDENTITY = "identity";

    private final int maxBodyBytes;

    RequestBodyFilter(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        try {
            request.getAcceptableMediaTypes();
        } catch (RuntimeException e) {
            // Else Jersey answers a bare 400 without a body, as it does at a malformed Content-Type.
            throw new InvalidRequestException("The Accept header is not a list of media types such as"
                    + " application/json, each with a quality q from 0 to 1.");
        }
        // With a body or without: Jersey reads the header to match a method either way.
        MediaType type = contentType(request.getHeaders().get(HttpHeaders.CONTENT_TYPE));
        if (!request.hasEntity()) {
            return;
        }
        if (type == null || !isJson(type)) {
            throw new WebApplicationException("The request body must be application/json, not "
                    + (type == null ? "untyped" : type.getType() + "/" + type.getSubtype()) + ".", 415);
        }
        String coding = request.getHeaderString(HttpHeaders.CONTENT_ENCODING);
        if (coding != null && !Arrays.stream(coding.split(",")).map(String::strip)
                .allMatch(each -> each.isEmpty() || each.equalsIgnoreCase(IDENTITY))) {
            // Else the body is read as if it were JSON as sent: plain JSON called gzip is taken, gzip is not UTF-8.
            throw new WebApplicationException("The request body is in the content coding " + coding
                    + "; Hanse takes request bodies only as sent, without one (identity).",
                    Response.status(415).header(HttpHeaders.ACCEPT_ENCODING, IDENTITY).build());
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null && (length.isEmpty() || !length.chars().allMatch(c -> c >= '0' && c <= '9'))) {
            throw new InvalidRequestException("The Content-Length header is not a number of bytes.");
        }
        if (length != null && (length.length() > 18 || Long.parseLong(length) > maxBodyBytes)) {
            throw tooLarge();
        }
        request.setEntityStream(new CheckedInputStream(request.getEntityStream()));
    }

    /**
     * The media type the Content-Type header values name, or null if there is none. They are read as
     * the client sent them: Jersey's own parsing fails on a malformed value, or on more than one, with an
     * error no mapper takes for the client's, and in a servlet before any filter runs.
     *
     * @throws InvalidRequestException if there is more than one value or it is no media type
     */
    static MediaType contentType(List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidRequestException("The request has more than one Content-Type header.");
        }
        try {
            return MediaType.valueOf(values.get(0));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("The Content-Type header is not a media type such as application/json.");
        }
    }

    private static boolean isJson(MediaType type) {
        // Media types are the same in any case (RFC 9110).
        String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
        return "application".equalsIgnoreCase(type.getType()) && (subtype.equals("json") || subtype.endsWith("+json"));
    }

    private TooLargeException tooLarge() {
        return new TooLargeException("The request body is larger than the limit of " + maxBodyBytes + " bytes.");
    }

    /**
     * Fails the read once more than the limit has arrived, at a byte that is not UTF-8, or at an
     * escaped NUL or lone surrogate in a string. It follows strings and their escapes byte by byte,
     * as UTF-8 allows: no byte of a character of several bytes is a quote or a backslash.
     */
    private final class CheckedInputStream extends FilterInputStream {

        /** Where the scan is: outside strings, in one, just after a backslash; 0 to 3 digits into a u escape. */
        private static final int OUTSIDE = -3;
        private static final int IN_STRING = -2;
        private static final int ESCAPED = -1;

        private long remaining = maxBodyBytes;
        private int state = OUTSIDE;
        private long scanned;
        /** The code unit a u escape spells so far: its four digits shift out the last escape's. */
        private char unit;
        /** A high surrogate escaped just before, which the next escape must pair, and the byte it ends at; or 0. */
        private char high;
        private long highEnd;
        /** Bytes still to come of a UTF-8 character, and the range the next one must be in (RFC 3629). */
        private int continuations;
        private int lowest;
        private int highest;

        CheckedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = super.read();
            } catch (IOException e) {
                throw brokenOff(e);
            }
            if (b >= 0) {
                count(1);
                scan(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                throw brokenOff(e);
            }
            if (n > 0) {
                count(n);
                for (int i = offset; i < offset + n; i++) {
                    scan(buffer[i] & 0xFF);
                }
            }
            return n;
        }

        /** Not supported: bytes read again after a reset would be scanned twice, as if they came twice. */
        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public synchronized void mark(int limit) {
            // Not supported; see markSupported.
        }

        @Override
        public synchronized void reset() throws IOException {
            throw new IOException("mark and reset are not supported");
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped;
            try {
                skipped = super.skip(n);
            } catch (IOException e) {
                throw brokenOff(e);
            }
            count(skipped);
            return skipped;
        }

        /**
         * The client's fault as far as the server can tell (a malformed chunk, a body ending before its
         * length, a connection that stalls or closes): a 400 rather than an incident, for the request.
         */
        private InvalidRequestException brokenOff(IOException e) {
            return new InvalidRequestException("The request body could not be read to its end after "
                    + (maxBodyBytes - remaining) + " bytes: " + e.getMessage());
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
            checkUtf8(b);
            if (high != 0 && (state == IN_STRING && b != '\\' || state == ESCAPED && b != 'u')) {
                // A high surrogate must be followed at once by the escape of a low one.
                throw loneSurrogate(high, highEnd);
            }
            switch (state) {
                case OUTSIDE -> state = b == '"' ? IN_STRING : OUTSIDE;
                case IN_STRING -> state = b == '"' ? OUTSIDE : b == '\\' ? ESCAPED : IN_STRING;
                case ESCAPED -> state = b == 'u' ? 0 : IN_STRING;
                default -> {
                    if (!HexFormat.isHexDigit(b)) {
                        state = IN_STRING; // Jackson refuses the escape and says where.
                    } else {
                        unit = (char) (unit << 4 | HexFormat.fromHexDigit(b));
                        if (++state == 4) {
                            state = IN_STRING;
                            escaped();
                        }
                    }
                }
            }
        }

        private void escaped() {
            if (unit == 0) {
                throw new InvalidRequestException("The request body holds \\u0000 in a string, ending at byte "
                        + scanned + ": Hanse cannot store the character NUL.");
            }
            if (high != 0 && !Character.isLowSurrogate(unit)) {
                throw loneSurrogate(high, highEnd);
            }
            if (high == 0 && Character.isLowSurrogate(unit)) {
                throw loneSurrogate(unit, scanned);
            }
            high = Character.isHighSurrogate(unit) ? unit : 0;
            highEnd = scanned;
        }

        private static InvalidRequestException loneSurrogate(char unit, long end) {
            return new InvalidRequestException("The request body holds the lone surrogate \\u"
                    + HexFormat.of().toHexDigits(unit) + " in a string, ending at byte " + end
                    + ": Hanse cannot store half a character.");
        }

        /**
         * Fails at a byte that cannot stand where it does in UTF-8 (RFC 3629), which has no overlong
         * forms, no surrogates and nothing past U+10FFFF.
         */
        private void checkUtf8(int b) {
            if (continuations > 0) {
                if (b < lowest || b > highest) {
                    throw notUtf8();
                }
                continuations--;
                lowest = 0x80;
                highest = 0xBF;
            } else if (b >= 0x80) {
                if (b < 0xC2 || b > 0xF4) {
                    throw notUtf8();
                }
                continuations = b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
                // Past these lead bytes the next byte is narrowed: E0 and F0 would begin overlong
                // forms, ED a surrogate, F4 a code point past U+10FFFF.
                lowest = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
                highest = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
            }
        }

        private InvalidRequestException notUtf8() {
            return new InvalidRequestException("The request body is not UTF-8 at byte " + scanned
                    + ": JSON is taken in UTF-8 only (RFC 8259).");
        }
    }
}
