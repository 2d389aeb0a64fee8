package io.hanse.kernel.rest.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

/** The REST whiteboard's configuration, checked before it serves anything. */
class RestServerTest {

    private static RestConfig config(int maxBodyBytes) {
        return new RestConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RestConfig.class;
            }

            @Override
            public int maxBodyBytes() {
                return maxBodyBytes;
            }

            @Override
            public String trustedProxies() {
                return "";
            }
        };
    }

    @Test
    void aBodyLimitBelow1024BytesIsRefusedNamingTheKeyTheValueAndTheRange() {
        for (int limit : new int[] {1023, 0, -1, Integer.MIN_VALUE}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new RestServer(config(limit)));
            assertEquals("io.hanse.rest: maxBodyBytes must be from 1024 to 2147483647 bytes, not " + limit,
                    refused.getMessage());
        }
        assertDoesNotThrow(() -> new RestServer(config(1024)));
        assertDoesNotThrow(() -> new RestServer(config(Integer.MAX_VALUE)));
    }
}
