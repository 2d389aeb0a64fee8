/**
 * Security: who a caller is and what it may do where.
 * <p>
 * Permissions are named strings such as {@code systems:read}, declared by the kernel and by each
 * plugin through {@link io.hanse.api.security.PermissionSet} services. Roles bundle permissions; a
 * role binding grants a role to a user or a group on the whole instance, or on one system and
 * everything it aggregates. A {@link io.hanse.api.security.Caller} answers what the principal
 * behind a request or a shell command may do, already narrowed by the token it used.
 * <p>
 * REST resources declare the permission each method needs with
 * {@link io.hanse.api.security.RequiresPermission} (or {@link io.hanse.api.security.Public});
 * the kernel refuses every method that declares neither.
 */
@Export
@Version("0.4.0")
package io.hanse.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
