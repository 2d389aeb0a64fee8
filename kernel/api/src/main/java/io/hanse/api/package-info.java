/**
 * The Hanse kernel API: what plugins and other bundles code against.
 * <p>
 * This package holds the small, closed hierarchy of exceptions that the kernel and plugins throw
 * when a caller has to act. The REST layer turns each into one HTTP status with an RFC 9457
 * problem body, the shell into one message.
 */
@Export
@Version("0.5.0")
package io.hanse.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
