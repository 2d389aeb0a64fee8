package io.hanse.kernel.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which refusals are logged and audited: anyone who reaches an endpoint can be refused as often as
 * they like, such as federation's link and join endpoints or a request signed as by an agent, and the
 * log and the audit log must not grow with it. Per address (an IPv6 address's /64, see {@link
 * #network}), or per peer or other key once it is known, the first refusal is written,
 * then at most one a minute, which says how many were suppressed since the last one written; and at
 * most {@link #MAX_WRITTEN} a minute of all together. The {@link #MAX_TRACKED} refused most recently
 * are remembered; one forgotten is written again when it is refused next.
 */
public final class Refusals {

    public static final Duration INTERVAL = Duration.ofMinutes(1);
    static final int MAX_TRACKED = 10_000;
    /**
     * The most refusals written in one {@link #INTERVAL}, of all addresses and peers together: one
     * holder of many networks, such as an IPv6 /48, would otherwise be new at each.
     */
    static final int MAX_WRITTEN = 60;

    /** When a refusal of one address or peer was last written, and how many were suppressed since. */
    private record Written(Instant at, long suppressed) {
    }

    private final Clock clock;
    /** When the current interval of {@link #MAX_WRITTEN} began, and how many were written in it. */
    private Instant intervalStart = Instant.MIN;
    private int writtenInInterval;
    // Guarded by this; in access order, so that the eldest is the one refused longest ago.
    private final Map<String, Written> written = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    public Refusals(Clock clock) {
        this.clock = clock;
    }

    /**
     * Returns the network an address's refusals count in: for an IPv6 address its /64, which one
     * holder usually has whole and could otherwise refuse from address after address; any other
     * address itself.
     */
    public static String network(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            // With a ':' it is read as an IPv6 literal, never looked up.
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /**
     * Returns what a refusal written adds about those suppressed since the last one written: nothing
     * if none were, else such as {@code " (3 more refused since the last one logged)"}.
     */
    public static String suppressed(long count) {
        return count == 0 ? "" : " (" + count + " more refused since the last one logged)";
    }

    /**
     * Counts a refusal of {@code refused}, such as an address's {@link #network} or a peer. Returns
     * how many of its refusals were suppressed since the last one written if this one is to be
     * written, or nothing if it is to be suppressed.
     */
    public synchronized OptionalLong count(String refused) {
        Instant now = clock.instant();
        Written last = written.get(refused);
        if (last != null && now.isBefore(last.at().plus(INTERVAL))) {
            written.put(refused, new Written(last.at(), last.suppressed() + 1));
            return OptionalLong.empty();
        }
        long before = last == null ? 0 : last.suppressed();
        if (!now.isBefore(intervalStart.plus(INTERVAL))) {
            intervalStart = now;
            writtenInInterval = 0;
        }
        if (writtenInInterval == MAX_WRITTEN) {
            // Counted as suppressed, and said with the next of its refusals that is written.
            written.put(refused, new Written(now, before + 1));
            return OptionalLong.empty();
        }
        writtenInInterval++;
        written.put(refused, new Written(now, 0));
        return OptionalLong.of(before);
    }
}
