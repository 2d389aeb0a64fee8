/**
 * The Hanse kernel API: what plugins and other bundles code against.
 * <p>
 * This package holds the small, closed hierarchy of exceptions that the kernel and plugins throw
 * when a caller has to act. The REST layer turns each into one HTTP status with an RFC 9457
 * problem body, the shell into one message. Their messages name what a caller sent through
 * {@link io.hanse.api.Messages#quote}, which does not repeat a long value whole.
 */
@Export
@Version("0.6.0")
package io.hanse.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
