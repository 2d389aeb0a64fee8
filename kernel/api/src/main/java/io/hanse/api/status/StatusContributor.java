package io.hanse.api.status;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of status, such as the monitoring plugin's checks. Register an implementation as an OSGi
 * service. The kernel hands it a {@link StatusSink} when it arrives; when it goes away, its reports
 * are withdrawn a minute later, but those that a contributor of its name started meanwhile (the same
 * plugin restarted or updated) has made again, so that a restart ends no problem on the timeline or at
 * peers; when the whole container stops, they are not withdrawn. Reports are not persisted by the
 * kernel: a contributor reports what it knows again when it is started.
 */
@ConsumerType
public interface StatusContributor {

    /**
     * Returns the contributor's name, unique in the instance, such as {@code monitoring}; shown to
     * people as the reason for a status. A contributor whose name another has that started is not
     * started until that one goes away.
     */
    String name();

    /**
     * Called once when the kernel accepts this contributor.
     *
     * @param sink where to report, valid until {@link #stop()} is called
     */
    void start(StatusSink sink);

    /**
     * Called when the kernel stops listening to this contributor; the sink is then no longer usable.
     */
    default void stop() {
    }
}
