package io.hanse.api.status;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Is told when a system's own or rolled-up status changes. Register an implementation as an OSGi
 * service; changes arrive in order on a kernel thread. A listener that throws is logged and keeps
 * receiving changes.
 */
@ConsumerType
public interface StatusListener {

    /** Called after a status changed. */
    void changed(StatusChange change);
}
