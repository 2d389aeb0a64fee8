package io.hanse.kernel.security.internal;

import static io.hanse.api.security.Permission.Level.ADMINISTER;
import static io.hanse.api.security.Permission.Level.OPERATE;
import static io.hanse.api.security.Permission.Level.READ;

import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.Permission;
import io.hanse.api.security.PermissionSet;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** The permissions the kernel declares. */
@Component
public final class KernelPermissionSet implements PermissionSet {

    static final List<Permission> PERMISSIONS = List.of(
            new Permission(KernelPermissions.SYSTEMS_READ, "See systems, their members and their status", READ),
            new Permission(KernelPermissions.SYSTEMS_WRITE,
                    "Create, change and delete systems and their members", OPERATE),
            new Permission(KernelPermissions.TIMELINE_READ, "Read and follow the timeline", READ),
            new Permission(KernelPermissions.TIMELINE_APPEND, "Put events on the timeline", OPERATE),
            new Permission(KernelPermissions.INSTANCE_READ,
                    "See the instance's name, version, plugins and why its health check fails", READ),
            new Permission(KernelPermissions.INSTANCE_BACKUP,
                    "Back up the embedded database, with the password hashes and the federation's private key",
                    ADMINISTER),
            new Permission(KernelPermissions.SHELL_LOGIN, "Log in to the shell over SSH", READ),
            new Permission(KernelPermissions.SELF_MANAGE,
                    "Change one's own password and manage one's own API tokens", READ),
            new Permission(KernelPermissions.SECURITY_READ,
                    "See users, groups, roles, role bindings and everyone's API tokens", ADMINISTER),
            new Permission(KernelPermissions.SECURITY_WRITE,
                    "Manage users, groups, roles, role bindings, SSH keys and everyone's API tokens", ADMINISTER),
            new Permission(KernelPermissions.AUDIT_READ, "Read and verify the audit log", ADMINISTER),
            new Permission(KernelPermissions.AGENTS_READ, "See agents, enrollment tokens and work items", READ),
            new Permission(KernelPermissions.AGENTS_ENROLL,
                    "Create one-time enrollment tokens for agents that report on a system", ADMINISTER),
            new Permission(KernelPermissions.AGENTS_MANAGE, "Disable, enable and revoke agents", ADMINISTER),
            new Permission(KernelPermissions.AGENTS_REPORT,
                    "Send observations about a system; held only by agents, through the built-in role agent",
                    ADMINISTER),
            new Permission(KernelPermissions.AGENTS_DESIRE,
                    "Ask the agents that report on a system for fresh results", OPERATE),
            new Permission(KernelPermissions.WORK_WRITE, "Create work items for agents", OPERATE),
            new Permission(KernelPermissions.FEDERATION_READ,
                    "See the federation identity, peers, their links and the grants given to them", OPERATE),
            new Permission(KernelPermissions.FEDERATION_MANAGE,
                    "Invite, join, suspend and remove peers; grant and revoke their access to systems", ADMINISTER));

    @Override
    public List<Permission> permissions() {
        return PERMISSIONS;
    }
}
