package io.hanse.kernel.security.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;

/** Audit entries of security's changes, with what was before and after summarised as JSON. */
final class AuditEntries {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private AuditEntries() {
    }

    /**
     * @param before what the target was, summarised; {@code null} if it did not exist
     * @param after what it is now; {@code null} if it no longer exists
     */
    static AuditEntry audit(Source actor, String action, String target, Object before, Object after) {
        return new AuditEntry(actor, action, target, json(before), json(after));
    }

    private static String json(Object value) {
        try {
            return value == null ? null : JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot summarise " + value, e);
        }
    }
}
