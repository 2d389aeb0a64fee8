/**
 * What shell commands share: {@link io.hanse.api.shell.SecuredAction} to check permissions and to print
 * nothing a terminal would take as a control sequence,
 * {@link io.hanse.api.shell.ShellText} to print times, sources, labels and lists alike, and
 * {@link io.hanse.api.shell.SystemSlugCompleter} to complete system slugs.
 */
@Export
@Version("0.2.0")
package io.hanse.api.shell;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
