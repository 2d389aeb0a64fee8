/**
 * The identity of this Hanse instance: a stable id created on first start, and the name
 * under which it is known to people and, later, to its federation peers.
 */
@Export
@Version("0.1.0")
package io.hanse.api.instance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
