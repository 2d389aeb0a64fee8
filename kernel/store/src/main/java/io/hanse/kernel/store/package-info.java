/**
 * The kernel's view of its database: which one it is, whether it answers, how change logs are
 * applied, and the kernel's own stored records. Exported for the other kernel bundles and the
 * kernel's test kit only; plugins use {@link io.hanse.api.store}.
 */
@Export
@Version("0.10.0")
package io.hanse.kernel.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
