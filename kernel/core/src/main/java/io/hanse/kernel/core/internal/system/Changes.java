package io.hanse.kernel.core.internal.system;

import io.hanse.api.status.StatusChange;
import io.hanse.api.system.SystemEvent;
import java.util.ArrayList;
import java.util.List;

/** What one operation on the graph changed, to announce once it is done. */
final class Changes {

    final List<SystemEvent> systemEvents = new ArrayList<>();
    final List<StatusChange> statusChanges = new ArrayList<>();
}
