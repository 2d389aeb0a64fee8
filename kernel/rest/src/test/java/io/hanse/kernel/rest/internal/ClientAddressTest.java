package io.hanse.kernel.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whose address a request is counted under: its connection's, or what trusted proxies say. */
class ClientAddressTest {

    private static final ClientAddress BEHIND_PROXIES = ClientAddress.trusting("127.0.0.1, 10.0.0.0/8, fd00::/8");

    private static String client(ClientAddress addresses, String remote, String... forwardedFor) {
        return addresses.of(remote, Collections.enumeration(List.of(forwardedFor)));
    }

    @Test
    void withoutTrustedProxiesTheConnectionIsTheClientWhateverItSays() {
        assertSame(ClientAddress.DIRECT, ClientAddress.trusting(" , "));
        assertEquals("127.0.0.1", client(ClientAddress.DIRECT, "127.0.0.1", "203.0.113.9"));
    }

    @Test
    void aTrustedProxysLastUntrustedHopIsTheClient() {
        assertEquals("203.0.113.9", client(BEHIND_PROXIES, "127.0.0.1", "203.0.113.9"));
        assertEquals("203.0.113.9", client(BEHIND_PROXIES, "127.0.0.1", "198.51.100.1, 203.0.113.9, 10.1.2.3"),
                "what the client wrote itself, left of the address the first proxy saw, counts for nothing");
        assertEquals("203.0.113.9", client(BEHIND_PROXIES, "127.0.0.1", "198.51.100.1", "203.0.113.9, 10.1.2.3"),
                "several headers are read as one list");
        assertEquals("2001:db8:0:0:0:0:0:7", client(BEHIND_PROXIES, "fd12::1", "2001:DB8::7"),
                "written one way, as Jetty writes the connection's, so that each address counts once");
        assertEquals("203.0.113.9", client(BEHIND_PROXIES, "[::ffff:127.0.0.1]", "203.0.113.9"),
                "an IPv4 proxy on an IPv6 socket");
    }

    @Test
    void anUntrustedConnectionOrAnUnreadableHopEndsTheReading() {
        assertEquals("192.0.2.1", client(BEHIND_PROXIES, "192.0.2.1", "203.0.113.9"), "not a proxy of ours");
        assertEquals("127.0.0.1", client(BEHIND_PROXIES, "127.0.0.1"), "no header");
        assertEquals("10.1.2.3", client(BEHIND_PROXIES, "127.0.0.1", "203.0.113.9, evil.example.org, 10.1.2.3"),
                "a name is never looked up: the proxy that passed it on is the client");
        assertEquals("127.0.0.1", client(BEHIND_PROXIES, "127.0.0.1", "203.0.113.9:4711"));
        assertEquals("10.9.9.9", client(BEHIND_PROXIES, "127.0.0.1", "10.9.9.9"), "only proxies: the first one");
        assertEquals("11.0.0.1", client(BEHIND_PROXIES, "127.0.0.1", "11.0.0.1"), "just outside 10.0.0.0/8");
    }

    @Test
    void trustedProxiesAreAddressesOrRangesAndNothingElse() {
        for (String bad : List.of("proxy.example.org", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/x",
                "256.0.0.1", "10.0.0")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ClientAddress.trusting("127.0.0.1," + bad), bad);
            assertTrue(refused.getMessage().startsWith("'" + bad + "' is neither"), refused.getMessage());
        }
        assertEquals("203.0.113.9", client(ClientAddress.trusting("0.0.0.0/0"), "192.0.2.1", "203.0.113.9"));
    }
}
