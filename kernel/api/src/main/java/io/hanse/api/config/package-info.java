/**
 * Reading a component's configuration from {@code etc/<pid>.cfg} so that one bad value is refused
 * on its own: it is logged and replaced, and the component keeps running.
 * <p>
 * A component reads its component property type through {@link io.hanse.api.config.Settings}, key
 * by key, saying what each key allows, and then uses {@link io.hanse.api.config.Settings#values()}.
 */
@Export
@Version("1.0.0")
package io.hanse.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
