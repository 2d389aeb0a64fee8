package io.hanse.kernel.agents.rest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.hanse.kernel.agents.internal.AgentRegistry.AgentView;
import io.hanse.kernel.store.StoredAgent;
import java.time.Instant;
import java.util.List;

/**
 * An agent as shown: who it is, whether it is alive, and what it last said about itself.
 *
 * @param state {@code alive}, {@code lost} (silent past its time to live) or {@code disabled}
 * @param checks the checks it says it runs, as it said; to a caller who may read only some of its
 *     systems, those on them
 */
record AgentDto(String name, String state, List<String> systems, String fingerprint, String version,
        String hostname, long bootEpoch, List<String> capabilities, @JsonRawValue String checks, Spool spool,
        Instant enrolled, Instant lastSeen) {

    /** What the agent's spool holds: observations waiting to be sent, and those it ever had to drop. */
    record Spool(long pending, long dropped) {
    }

    static AgentDto of(AgentView view) {
        StoredAgent said = view.reported();
        return new AgentDto(view.identity().name(), view.state(), view.identity().systems(),
                view.identity().fingerprint(), said.version(), said.hostname(), said.bootEpoch(), said.capabilities(),
                said.checks(), new Spool(said.spoolPending(), said.spoolDropped()), view.identity().created(),
                view.lastSeen());
    }
}
