package io.hanse.api.status;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Is told when a system's own or rolled-up status changes. Register an implementation as an OSGi
 * service; changes arrive in order on a kernel thread. A listener that throws is logged and keeps
 * receiving changes. Listeners share that thread with {@link io.hanse.api.system.SystemListener}s,
 * and should keep up: while 10,000 changes wait for them, the further changes of one system wait
 * merged into one, from its previous status to the last one's status, and are not told at all if
 * they come back to where they were.
 */
@ConsumerType
public interface StatusListener {

    /** Called after a status changed. */
    void changed(StatusChange change);
}
