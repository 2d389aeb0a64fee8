package io.hanse.kernel.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.config.Settings;
import java.lang.annotation.Annotation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The REST whiteboard's configuration, checked before it serves anything. */
class RestServerTest {

    private static RestConfig config(int maxBodyBytes) {
        return config(maxBodyBytes, "");
    }

    private static RestConfig config(int maxBodyBytes, String trustedProxies) {
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
                return trustedProxies;
            }
        };
    }

    @Test
    void aBodyLimitBelow1024BytesIsLoggedNamingTheKeyTheValueAndTheLimitAndTheDefaultServesInstead() {
        for (int limit : new int[] {1023, 0, -1, Integer.MIN_VALUE}) {
            new RestServer(config(limit));
            assertEquals(List.of("etc/io.hanse.rest.cfg: maxBodyBytes = " + limit + " is below 1024; using 1048576"),
                    problems());
        }
        new RestServer(config(1024));
        assertEquals(List.of(), problems());
        new RestServer(config(Integer.MAX_VALUE));
        assertEquals(List.of(), problems());
    }

    @Test
    void trustedProxiesThatAreNotAddressesAreLoggedAndNoOneIsBelieved() {
        new RestServer(config(1024, "127.0.0.1, proxy.example.org"));

        assertEquals(List.of("etc/io.hanse.rest.cfg: trustedProxies = \"127.0.0.1, proxy.example.org\":"
                + " 'proxy.example.org' is neither an IP address nor a range such as 10.0.0.0/8 or fd00::/8;"
                + " using \"\""),
                problems());
    }

    private static List<String> problems() {
        return Settings.problems().stream().filter(problem -> problem.startsWith("etc/io.hanse.rest.cfg:")).toList();
    }
}
