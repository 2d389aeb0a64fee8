/**
 * What the kernel's REST server asks of security: the caller behind a request; and how often a refusal
 * is written. Exported for the other kernel bundles only; plugins use {@link io.hanse.api.security}.
 */
@Export
@Version("0.5.0")
package io.hanse.kernel.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
