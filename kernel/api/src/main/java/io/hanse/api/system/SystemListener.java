package io.hanse.api.system;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Is told about every change to systems. Register an implementation as an OSGi service; events
 * arrive in the order the changes were made, on a kernel thread, after the change is stored. A
 * listener that throws is logged and keeps receiving events. Listeners share that thread, and must
 * keep up: while 10,000 events wait for them, further ones are dropped, counted and logged.
 */
@ConsumerType
public interface SystemListener {

    /**
     * Called after a system changed.
     */
    void event(SystemEvent event);
}
