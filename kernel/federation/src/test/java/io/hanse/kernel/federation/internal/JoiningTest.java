package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.UnavailableException;
import io.hanse.kernel.federation.internal.Federation.JoinRequest;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JoiningTest {

    @Test
    void anInstanceThatRefusesTheConnectionIsUnavailableSayingSo() throws Exception {
        URI join = URI.create("http://127.0.0.1:" + DialerTest.closedPort() + Federation.JOIN_PATH);

        UnavailableException refused = assertThrows(UnavailableException.class, () -> Joining.post(join,
                new JoinRequest(UUID.randomUUID(), "secret", "zrh", "http://192.0.2.7:8181", "key", "signature")));

        assertEquals("cannot reach " + join + ": connection refused", refused.getMessage());
    }
}
