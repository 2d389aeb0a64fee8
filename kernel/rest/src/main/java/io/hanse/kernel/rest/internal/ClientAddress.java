package io.hanse.kernel.rest.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The address a request comes from, which logins are throttled and audited by: its connection's, or,
 * when that is a proxy the operator trusts ({@code trustedProxies}), the last address in its
 * {@code X-Forwarded-For} that is not such a proxy. Behind a proxy every request comes from the
 * proxy: one guesser would lock every client out. A client may send an {@code X-Forwarded-For} of its
 * own, so only what trusted proxies appended counts, read from the right; an entry that is not an
 * IP address ends the reading at the proxy that passed it on. Nothing is looked up by name.
 */
final class ClientAddress {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    /** Nobody's {@code X-Forwarded-For} is believed. */
    static final ClientAddress DIRECT = new ClientAddress(List.of());

    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
            + "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** An address range: the first {@code bits} bits of {@code network}. */
    private record Range(byte[] network, int bits) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            if (!Arrays.equals(address, 0, whole, network, 0, whole)) {
                return false;
            }
            int rest = bits % 8;
            return rest == 0 || ((address[whole] ^ network[whole]) & (0xff << (8 - rest))) == 0;
        }
    }

    private final List<Range> trusted;

    private ClientAddress(List<Range> trusted) {
        this.trusted = trusted;
    }

    /**
     * Reads the trusted proxies: comma-separated IP addresses and ranges such as {@code 127.0.0.1},
     * {@code 10.0.0.0/8} or {@code fd00::/8}; empty for none.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    static ClientAddress trusting(String proxies) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : proxies.split(",")) {
            String text = entry.strip();
            if (!text.isEmpty()) {
                ranges.add(range(text));
            }
        }
        return ranges.isEmpty() ? DIRECT : new ClientAddress(List.copyOf(ranges));
    }

    private static Range range(String text) {
        int slash = text.indexOf('/');
        byte[] network = literal(slash < 0 ? text : text.substring(0, slash));
        int bits = network == null ? -1 : network.length * 8;
        if (network != null && slash >= 0) {
            String prefix = text.substring(slash + 1);
            bits = prefix.matches("\\d{1,3}") && Integer.parseInt(prefix) <= bits ? Integer.parseInt(prefix) : -1;
        }
        if (bits < 0) {
            throw new IllegalArgumentException("'" + text + "' is neither an IP address nor a range such as"
                    + " 10.0.0.0/8 or fd00::/8");
        }
        return new Range(network, bits);
    }

    /** The bytes of an IPv4 or IPv6 address written as one, or {@code null}: never a name to look up. */
    private static byte[] literal(String written) {
        String text = written.startsWith("[") && written.endsWith("]")
                ? written.substring(1, written.length() - 1) : written;
        if (!IPV4.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Returns the client's address.
     *
     * @param remote the address of the connection
     * @param forwardedFor the request's {@code X-Forwarded-For} headers, in order
     */
    String of(String remote, Enumeration<String> forwardedFor) {
        if (trusted.isEmpty() || !isTrusted(literal(remote))) {
            return remote;
        }
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(forwardedFor)) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        String client = remote;
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = literal(hops.get(i));
            if (hop == null) {
                break;
            }
            client = written(hop);
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client;
    }

    /** An address written as Jetty writes a connection's: one way for each, so that each counts once. */
    private static String written(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes", e);
        }
    }

    private boolean isTrusted(byte[] address) {
        return address != null && trusted.stream().anyMatch(range -> range.contains(address));
    }
}
