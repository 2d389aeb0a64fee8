/**
 * Status: how each system is doing, by its own measure and rolled up over everything it aggregates.
 * <p>
 * Plugins report status about systems by registering a {@link io.hanse.api.status.StatusContributor}
 * service. A system's own status is the worst its contributors report; its rolled-up status is the
 * worst of its own and its members' rolled-up status, and always says which member path caused it.
 * Every layer can be asked for through {@link io.hanse.api.status.StatusService}.
 */
@Export
@Version("0.3.0")
package io.hanse.api.status;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
