/**
 * Shell commands that check permissions: extend {@link io.hanse.api.shell.SecuredAction}.
 */
@Export
@Version("0.1.0")
package io.hanse.api.shell;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
