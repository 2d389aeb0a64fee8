/**
 * Federation for plugins: their own message types between peer instances, about the systems one
 * instance grants another, and requests to act on them under the actions a grant names. The kernel
 * signs, orders, delivers (at least once, replayed after a partition) and authorises them; plugins
 * only say what to send and take what arrives.
 */
@Export
@Version("0.2.0")
package io.hanse.api.federation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
