package io.hanse.api.agent;

import io.hanse.api.security.Caller;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Hands wishes to the agents they are for, the next time each asks. */
@ProviderType
public interface DesireService {

    /**
     * Publishes a desire to the agents that report on its system (or to the one it names).
     *
     * @return the names of the agents it went to
     * @throws io.hanse.api.ForbiddenException unless the caller holds {@code agents:desire} on the system
     * @throws io.hanse.api.ConflictException if no agent reports on the system, or the named agent does not
     */
    List<String> publish(Caller caller, Desire desire);
}
