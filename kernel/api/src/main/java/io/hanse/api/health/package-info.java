/**
 * The health of this Hanse instance, as far as other bundles need it: whether every part of Hanse
 * runs. {@code GET /api/v1/health} reports it to people and probes.
 */
@Export
@Version("0.1.0")
package io.hanse.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
