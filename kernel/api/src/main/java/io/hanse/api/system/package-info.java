/**
 * Systems: the things Hanse manages, such as services, hosts, environments and data centres.
 * <p>
 * Systems aggregate top-down: an aggregate lists its members, either explicitly or through a
 * label {@link io.hanse.api.system.Selector}, and a member may belong to many aggregates. The
 * membership graph never has a cycle. Read with {@link io.hanse.api.system.SystemService},
 * change with {@link io.hanse.api.system.SystemAdminService}, and follow changes by registering
 * a {@link io.hanse.api.system.SystemListener} service.
 */
@Export
@Version("0.4.0")
package io.hanse.api.system;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
