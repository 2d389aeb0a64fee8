package io.hanse.kernel.core.internal.timeline;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import io.hanse.kernel.store.EventFilter;
import io.hanse.kernel.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Encodes where a page ended as an opaque string, and reads it back. */
final class Cursor {

    private Cursor() {
    }

    static String of(StoredEvent last) {
        String position = last.event().time() + "/" + last.seq();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    static EventFilter.Position parse(String cursor) {
        try {
            String position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int slash = position.indexOf('/');
            // Storable, as from and until must be: a time the database cannot hold would fail the query.
            return new EventFilter.Position(Parameters.storable("cursor", Instant.parse(position.substring(0, slash))),
                    Long.parseLong(position.substring(slash + 1)));
        } catch (RuntimeException e) {
            throw new InvalidRequestException("cursor '" + cursor + "' is not one this timeline returned");
        }
    }
}
