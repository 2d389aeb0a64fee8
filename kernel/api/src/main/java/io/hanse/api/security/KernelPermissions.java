package io.hanse.api.security;

/** The names of the permissions the kernel declares, for use in annotations and checks. */
public final class KernelPermissions {

    /** See systems, their members and their status. */
    public static final String SYSTEMS_READ = "systems:read";
    /** Create, change and delete systems and their members. */
    public static final String SYSTEMS_WRITE = "systems:write";
    /** Read the timeline. */
    public static final String TIMELINE_READ = "timeline:read";
    /** Put events on the timeline. */
    public static final String TIMELINE_APPEND = "timeline:append";
    /** See the instance's name, version and configuration, and why its health check fails. */
    public static final String INSTANCE_READ = "instance:read";
    /**
     * Back up the embedded database, with all it holds: password hashes and the federation's private key.
     *
     * @since 0.4.0
     */
    public static final String INSTANCE_BACKUP = "instance:backup";
    /** Log in to the shell. */
    public static final String SHELL_LOGIN = "shell:login";
    /** Change one's own password, and create, list and revoke one's own API tokens. */
    public static final String SELF_MANAGE = "self:manage";
    /** See users, groups, roles, bindings and everyone's tokens. */
    public static final String SECURITY_READ = "security:read";
    /** Manage users, groups, roles, bindings and everyone's tokens. */
    public static final String SECURITY_WRITE = "security:write";
    /** Read and verify the audit log. */
    public static final String AUDIT_READ = "audit:read";
    /** See agents, their enrollment tokens and work items. */
    public static final String AGENTS_READ = "agents:read";
    /** Create enrollment tokens for agents that report on a system. */
    public static final String AGENTS_ENROLL = "agents:enroll";
    /** Disable, enable and revoke agents. */
    public static final String AGENTS_MANAGE = "agents:manage";
    /** Send observations about a system: what the built-in role {@code agent} holds, for agents alone. */
    public static final String AGENTS_REPORT = "agents:report";
    /** Wish for fresh results about a system from the agents that report on it. */
    public static final String AGENTS_DESIRE = "agents:desire";
    /** Create work items for agents. */
    public static final String WORK_WRITE = "work:write";
    /**
     * See this instance's federation identity, its peers, the links to them and the grants given to them.
     *
     * @since 0.3.0
     */
    public static final String FEDERATION_READ = "federation:read";
    /**
     * Invite and join peers, suspend and remove them, and grant and revoke their access to systems.
     *
     * @since 0.3.0
     */
    public static final String FEDERATION_MANAGE = "federation:manage";

    private KernelPermissions() {
    }
}
