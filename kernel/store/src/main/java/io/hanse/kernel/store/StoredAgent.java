package io.hanse.kernel.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an enrolled agent last said about itself; the agent's identity, key and scope are its
 * service principal's.
 *
 * @param principal the agent's service principal
 * @param version the agent program's version; {@code null} until it first reports
 * @param hostname the host it runs on, as it says
 * @param bootEpoch when the agent program last started, in epoch milliseconds; 0 until it reports
 * @param capabilities the work types it takes
 * @param checks the checks it runs, as a JSON array
 * @param spoolPending observations waiting in its spool
 * @param spoolDropped observations its spool ever had to drop
 * @param enrolled when it enrolled
 * @param lastSeen when it was last heard from; {@code null} if never
 * @param lost whether it has been silent past its time to live
 */
public record StoredAgent(UUID principal, String version, String hostname, long bootEpoch, List<String> capabilities,
        String checks, long spoolPending, long spoolDropped, Instant enrolled, Instant lastSeen, boolean lost) {

    public StoredAgent {
        capabilities = List.copyOf(capabilities);
    }
}
