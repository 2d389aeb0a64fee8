package io.hanse.kernel.security.internal;

import static io.hanse.kernel.security.internal.AuditEntries.audit;
import static io.hanse.kernel.security.internal.PermissionRegistry.ADMIN;

import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.config.Settings;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.Permission;
import io.hanse.api.security.PermissionSet;
import io.hanse.api.security.Scope;
import io.hanse.api.security.SecurityService;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemListener;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.security.AgentIdentities;
import io.hanse.kernel.security.Authenticator;
import io.hanse.kernel.security.SignedRequest;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditLog;
import io.hanse.kernel.store.SecurityStore;
import io.hanse.kernel.store.StoredBinding;
import io.hanse.kernel.store.StoredGroup;
import io.hanse.kernel.store.StoredKey;
import io.hanse.kernel.store.StoredPrincipal;
import io.hanse.kernel.store.StoredRole;
import io.hanse.kernel.store.StoredToken;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.sshd.server.SshServer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security component: the {@link SecurityService}, the REST {@link Authenticator} and the one
 * place the REST resources and shell commands administer principals, groups, roles, role bindings,
 * API tokens and SSH keys. Each change is written through to the store with its audit entry, then
 * to the {@link SecurityState}; who a caller is and what it may do is left to
 * {@link Authentication}, over the permissions in the {@link PermissionRegistry}.
 */
@Component(service = {SecurityService.class, Authenticator.class, AgentIdentities.class, SystemListener.class,
        SecurityManager.class},
        configurationPid = SecurityConfig.PID)
@Designate(ocd = SecurityConfig.class)
public final class SecurityManager implements SecurityService, Authenticator, AgentIdentities, SystemListener {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityManager.class);
    /** Sets the first admin's password at first start instead of a generated one-time password. */
    static final String ADMIN_PASSWORD_VARIABLE = "HANSE_ADMIN_PASSWORD";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    /** The longest display name the store keeps. */
    static final int MAX_DISPLAY_NAME = 200;
    /** The longest group or role description the store keeps. */
    static final int MAX_DESCRIPTION = 1000;
    /** The most roles a token carries: their names, of 64 characters at most, then always fit its stored list. */
    static final int MAX_TOKEN_ROLES = 25;
    private static final Source KERNEL = Source.KERNEL;
    /** Ends the refusal of a change that grants what the caller does not hold. */
    private static final String GRANTING = "a caller grants only what it holds";
    /** Ends the refusal of a change that takes away what the caller does not hold. */
    private static final String TAKING_AWAY = "a caller takes away only what it holds";

    /** A user or service principal as shown: never its password hash. */
    public record User(String name, boolean service, String displayName, boolean disabled, boolean oneTimePassword,
            Instant created, List<String> groups) {
    }

    public record Group(String name, String description, List<String> members) {
    }

    public record Role(String name, String description, boolean builtIn, List<String> permissions) {
    }

    /** A binding as shown: the system by its current slug, {@code null} for the whole instance. */
    public record Binding(UUID id, String role, String user, String group, String system, boolean includeMembers,
            Instant created) {
    }

    /** A token as shown: never the token itself. */
    public record Token(UUID id, String name, String user, List<String> roles, List<String> systems, Instant expires,
            Instant created, Instant revoked) {
    }

    /** A token just created: the only time the token itself is shown. */
    public record IssuedToken(Token token, String secret) {
    }

    public record Key(String user, String fingerprint, String publicKey, Instant created) {
    }

    private final SecurityStore store;
    private final SystemService systems;
    private final SystemScopes scopes;
    private final Clock clock;
    private final Duration tokenDefault;
    private final Duration tokenMax;
    private final Path oneTimePasswordFile;
    private final PermissionRegistry permissions = new PermissionRegistry();
    private final SecurityState state;
    final Authentication authentication;
    private final SshSessions sshSessions;
    private final AgentEnrollments enrollments;
    private final Consumer<AuditEntry> auditOutsideStore;

    @Activate
    public SecurityManager(@Reference SecurityStore store, @Reference SystemService systems,
            @Reference AuditLog auditLog, SecurityConfig config) {
        this(store, systems, config, Clock.systemUTC(),
                Path.of(System.getProperty("karaf.data", "data"), "hanse-admin-password"), auditLog::append);
    }

    /**
     * @param auditOutsideStore writes audit entries about what is not stored, such as refused requests
     */
    SecurityManager(SecurityStore store, SystemService systems, SecurityConfig config, Clock clock,
            Path oneTimePasswordFile, Consumer<AuditEntry> auditOutsideStore) {
        SecurityConfig checked = check(config);
        this.store = store;
        this.systems = systems;
        this.scopes = new SystemScopes(systems);
        this.clock = clock;
        this.tokenDefault = Duration.ofDays(checked.tokenDefaultDays());
        this.tokenMax = Duration.ofDays(checked.tokenMaxDays());
        this.oneTimePasswordFile = oneTimePasswordFile;
        this.auditOutsideStore = auditOutsideStore;
        // Whatever changed, a user may have lost a Karaf role that an open SSH session still carries.
        this.sshSessions = new SshSessions(this::karafRoles, this::loggedIn);
        this.state = new SecurityState(store.loadAll(), sshSessions::closeThoseWhoLostRoles);
        this.authentication = new Authentication(state, permissions, scopes, checked, clock, auditOutsideStore);
        this.enrollments = new AgentEnrollments(state, store, systems, clock);
    }

    /** Returns the configuration security runs on: a value not allowed is logged and replaced by its default. */
    private static SecurityConfig check(SecurityConfig config) {
        Settings<SecurityConfig> settings = Settings.of(SecurityConfig.PID, SecurityConfig.class, config);
        settings.whole("freeFailures", 1, Integer.MAX_VALUE);
        settings.whole("maxLockoutSeconds", 1, Integer.MAX_VALUE);
        settings.whole("concurrentPasswordChecks", 1, Integer.MAX_VALUE);
        settings.whole("tokenDefaultDays", 1, Integer.MAX_VALUE);
        settings.whole("tokenMaxDays", 1, Integer.MAX_VALUE);
        settings.require("tokenDefaultDays must be at most tokenMaxDays",
                checked -> checked.tokenDefaultDays() <= checked.tokenMaxDays(), "tokenDefaultDays", "tokenMaxDays");
        return settings.values();
    }

    // --- permissions ---

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPermissionSet(PermissionSet set) {
        permissions.add(set);
    }

    void removePermissionSet(PermissionSet set) {
        permissions.remove(set);
    }

    @Override
    public List<Permission> permissions() {
        return permissions.permissions();
    }

    // --- who is calling, for REST, the shell's commands and its JAAS realm ---

    @Override
    public Caller authenticate(String authorization, String address) {
        return authentication.authenticate(authorization, address);
    }

    @Override
    public Caller authenticate(SignedRequest request) {
        return authentication.authenticate(request);
    }

    @Override
    public Caller shellCaller() {
        return authentication.shellCaller();
    }

    /** @see Authentication#login(String, char[], String) */
    Caller login(String name, char[] password, String address) {
        return authentication.login(name, password, address);
    }

    /** @see Authentication#login(String, PublicKey, String) */
    Caller login(String name, PublicKey key, String address) {
        return authentication.login(name, key, address);
    }

    /** @see Authentication#loggedIn(HanseLogin) */
    void loggedIn(HanseLogin login) {
        authentication.loggedIn(login);
    }

    /** @see Authentication#karafRoles(UUID) */
    Set<String> karafRoles(UUID principalId) {
        return authentication.karafRoles(principalId);
    }

    /** Every SSH server Karaf registers: it starts a new one on each change of its shell's configuration. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSshServer(SshServer server) {
        sshSessions.serverRegistered(server);
    }

    void removeSshServer(SshServer server) {
        sshSessions.serverUnregistered(server);
    }

    UUID principalId(String name) {
        return state.read(() -> state.principals().require(name).id());
    }

    // --- principals ---

    public List<User> users() {
        return state.read(() -> state.principals().all().stream().map(this::user).toList());
    }

    public User user(String name) {
        return state.read(() -> user(state.principals().require(name)));
    }

    /**
     * Creates a user or a service principal; a password is optional (a user may log in with SSH
     * keys or tokens only).
     */
    public User addUser(String name, String displayName, boolean service, char[] password, Source actor) {
        checkName("user", name);
        checkLength("displayName", displayName, MAX_DISPLAY_NAME);
        if (password != null) {
            Passwords.checkStrength(name, password);
        }
        String hash = password == null ? null : authentication.hash(password);
        return state.write(() -> {
            if (state.principals().get(name) != null) {
                throw new ConflictException("user '" + name + "' already exists");
            }
            StoredPrincipal principal = new StoredPrincipal(UUID.randomUUID(), name, service,
                    displayName == null ? "" : displayName, hash, false, false, now());
            store.insertPrincipal(principal, List.of(), audit(actor, "user.create", "user/" + name, null,
                    user(principal)));
            state.principals().put(principal);
            return user(principal);
        });
    }

    /**
     * Changes a principal's display name, or disables or enables it ({@code null} leaves either as it is).
     *
     * @throws ForbiddenException if it is disabled or enabled by a caller that may not
     *     {@linkplain #requireActAs act as it}
     * @throws ConflictException if disabling it leaves no one holding {@code admin} on the whole instance
     */
    public User updateUser(String name, String displayName, Boolean disabled, Caller caller) {
        return updateUser(name, displayName, disabled, caller, false);
    }

    /**
     * @param agentManager whether the caller was found to manage the agent of that name: it is audited as
     *     the agent's, {@code agent.disable} or {@code agent.enable} on {@code agent/<name>}, as its enrollment is
     */
    private User updateUser(String name, String displayName, Boolean disabled, Caller caller, boolean agentManager) {
        checkLength("displayName", displayName, MAX_DISPLAY_NAME);
        String action = !agentManager ? "user.update" : Boolean.TRUE.equals(disabled) ? "agent.disable"
                : "agent.enable";
        String target = (agentManager ? "agent/" : "user/") + name;
        return state.write(() -> {
            StoredPrincipal before = state.principals().require(name);
            if (disabled != null && disabled != before.disabled()) {
                requireTakeAway(caller, before, agentManager, action, target);
                if (disabled) {
                    requireAdminLeft("disabling user " + name, (binding, holder) -> holder.id().equals(before.id()));
                }
            }
            StoredPrincipal after = new StoredPrincipal(before.id(), name, before.service(),
                    displayName == null ? before.displayName() : displayName, before.passwordHash(),
                    before.oneTimePassword(), disabled == null ? before.disabled() : disabled, before.created());
            store.savePrincipal(after, audit(caller.source(), action, target, user(before), user(after)));
            state.principals().put(after);
            return user(after);
        });
    }

    /**
     * Sets a user's password: by the user, who gives the current one, or without it by a caller who
     * may {@linkplain #requireActAs act as the user}.
     *
     * @throws ForbiddenException if the current password is not given and the caller may not act as the user
     */
    public void setPassword(String name, char[] current, char[] password, Caller caller) {
        Passwords.checkStrength(name, password);
        StoredPrincipal principal = state.read(() -> state.principals().require(name));
        if (current != null) {
            authentication.checkCurrentPassword(principal, current);
        }
        String hash = authentication.hash(password);
        state.write(() -> {
            StoredPrincipal before = state.principals().require(name);
            if (current == null) {
                requireActAs(caller, before, "user.password", "user/" + name, GRANTING);
            }
            StoredPrincipal after = new StoredPrincipal(before.id(), name, before.service(), before.displayName(),
                    hash, false, before.disabled(), before.created());
            store.savePrincipal(after, audit(caller.source(), "user.password", "user/" + name, null, null));
            state.principals().put(after);
            return null;
        });
        if (principal.oneTimePassword()) {
            forgetOneTimePassword();
        }
    }

    /**
     * Removes a principal with its group memberships, bindings, tokens and keys.
     *
     * @throws ForbiddenException if the caller may not {@linkplain #requireActAs act as it}
     * @throws ConflictException if that leaves no one holding {@code admin} on the whole instance
     */
    public void removeUser(String name, Caller caller) {
        removeUser(name, caller, false);
    }

    /**
     * @param agentManager whether the caller was found to manage the agent of that name: it is audited as
     *     the agent's, {@code agent.revoke} on {@code agent/<name>}
     */
    private void removeUser(String name, Caller caller, boolean agentManager) {
        String action = agentManager ? "agent.revoke" : "user.delete";
        String target = (agentManager ? "agent/" : "user/") + name;
        state.write(() -> {
            StoredPrincipal principal = state.principals().require(name);
            requireTakeAway(caller, principal, agentManager, action, target);
            requireAdminLeft("removing user " + name, (binding, holder) -> holder.id().equals(principal.id()));
            store.deletePrincipal(principal.id(), audit(caller.source(), action, target, user(principal), null));
            state.removePrincipal(principal);
            return null;
        });
    }

    private User user(StoredPrincipal principal) {
        return new User(principal.name(), principal.service(), principal.displayName(), principal.disabled(),
                principal.oneTimePassword(), principal.created(),
                state.groupsOf(principal).map(StoredGroup::name).sorted().toList());
    }

    // --- agents ---

    @Override
    public IssuedEnrollment createEnrollment(Caller caller, String agent, List<String> systems, Duration validFor) {
        return enrollments.create(caller, agent, systems, validFor);
    }

    @Override
    public List<Enrollment> enrollments(Caller caller) {
        return enrollments.list(caller);
    }

    @Override
    public Identity enroll(String token, String publicKey, String address) {
        // Apart from wrong API tokens: an address locked out by those still enrolls its agents.
        return authentication.throttled("enrollment " + address, () -> enrollments.enroll(token, publicKey,
                address));
    }

    @Override
    public List<Identity> identities() {
        return enrollments.identities();
    }

    @Override
    public Identity setDisabled(Caller caller, String agent, boolean disabled) {
        enrollments.manageable(caller, agent);
        updateUser(agent, null, disabled, caller, true);
        return identities().stream().filter(identity -> identity.name().equals(agent)).findFirst().orElseThrow();
    }

    @Override
    public void revoke(Caller caller, String agent) {
        enrollments.manageable(caller, agent);
        removeUser(agent, caller, true);
    }

    // --- SSH keys ---

    public List<Key> keys(String user) {
        return state.read(() -> {
            UUID id = state.principals().require(user).id();
            return state.keys().stream().filter(k -> k.principal().equals(id)).map(k -> key(user, k)).toList();
        });
    }

    /**
     * Lets a user log in with an SSH key; whoever holds the key's private half acts as the user.
     *
     * @throws ForbiddenException if the caller may not {@linkplain #requireActAs act as the user}
     */
    public Key addKey(String user, String line, Caller caller) {
        String fingerprint = SshKeys.fingerprint(SshKeys.parse(line));
        return state.write(() -> {
            StoredPrincipal principal = state.principals().require(user);
            requireActAs(caller, principal, "key.add", "user/" + user + "/keys/" + fingerprint, GRANTING);
            if (state.key(fingerprint) != null) {
                throw new ConflictException("the key " + fingerprint + " is already registered");
            }
            StoredKey key = new StoredKey(principal.id(), fingerprint, line.strip(), now());
            store.insertKey(key, audit(caller.source(), "key.add", "user/" + user + "/keys/" + fingerprint, null,
                    Map.of("fingerprint", fingerprint)));
            state.putKey(key);
            return key(user, key);
        });
    }

    /**
     * Removes a user's SSH key; it no longer logs in with it.
     *
     * @throws ForbiddenException if the caller may not {@linkplain #requireActAs act as the user}: else
     *     it could lock out one who holds more
     */
    public void removeKey(String user, String fingerprint, Caller caller) {
        state.write(() -> {
            StoredPrincipal principal = state.principals().require(user);
            StoredKey key = state.key(fingerprint);
            if (key == null || !key.principal().equals(principal.id())) {
                throw new NotFoundException("user " + Messages.quote(user) + " has no key " + fingerprint);
            }
            requireActAs(caller, principal, "key.remove", "user/" + user + "/keys/" + fingerprint, TAKING_AWAY);
            store.deleteKey(principal.id(), fingerprint, audit(caller.source(), "key.remove",
                    "user/" + user + "/keys/" + fingerprint, Map.of("fingerprint", fingerprint), null));
            state.removeKey(fingerprint);
            return null;
        });
    }

    private static Key key(String user, StoredKey key) {
        return new Key(user, key.fingerprint(), key.publicKey(), key.created());
    }

    // --- groups ---

    public List<Group> groups() {
        return state.read(() -> state.groups().all().stream().map(this::group).toList());
    }

    public Group group(String name) {
        return state.read(() -> group(state.groups().require(name)));
    }

    public Group addGroup(String name, String description, Source actor) {
        checkName("group", name);
        checkLength("description", description, MAX_DESCRIPTION);
        return state.write(() -> {
            if (state.groups().get(name) != null) {
                throw new ConflictException("group '" + name + "' already exists");
            }
            StoredGroup group = new StoredGroup(UUID.randomUUID(), name, description == null ? "" : description,
                    Set.of());
            store.saveGroup(group, audit(actor, "group.create", "group/" + name, null, group(group)));
            state.groups().put(group);
            return group(group);
        });
    }

    /**
     * Removes a group with its bindings; its members stay.
     *
     * @throws ForbiddenException if the caller does not hold, where the group's bindings grant them,
     *     all the permissions they grant
     * @throws ConflictException if that leaves no one holding {@code admin} on the whole instance
     */
    public void removeGroup(String name, Caller caller) {
        state.write(() -> {
            StoredGroup group = state.groups().require(name);
            requireHeldByGroup(caller, group, "group.delete");
            requireAdminLeft("removing group " + name, (binding, holder) -> group.id().equals(binding.group()));
            store.deleteGroup(group.id(), audit(caller.source(), "group.delete", "group/" + name, group(group),
                    null));
            state.removeGroup(group);
            return null;
        });
    }

    /**
     * Adds or removes a member; adding one that is in, or removing one that is not, changes nothing.
     *
     * @see #changeMembers(String, Collection, boolean, Caller)
     */
    public Group changeMember(String name, String user, boolean add, Caller caller) {
        return changeMembers(name, List.of(user), add, caller);
    }

    /**
     * Adds members or removes them, all or none: each user is checked before any is changed. Adding
     * one that is in, or removing one that is not, changes nothing; the others change in one
     * transaction, with one audit entry.
     *
     * @throws NotFoundException naming every user that does not exist
     * @throws ForbiddenException if the caller does not hold, where the group's bindings grant them,
     *     all the permissions they grant: adding a member grants them, removing one takes them away
     * @throws ConflictException if removing the members leaves no one holding {@code admin} on the
     *     whole instance
     */
    public Group changeMembers(String name, Collection<String> users, boolean add, Caller caller) {
        return state.write(() -> {
            StoredGroup before = state.groups().require(name);
            List<String> unknown = users.stream().distinct().filter(user -> state.principals().get(user) == null)
                    .toList();
            if (!unknown.isEmpty()) {
                throw new NotFoundException("no user" + (unknown.size() == 1 ? " " : "s ")
                        + unknown.stream().map(Messages::quote).collect(Collectors.joining(", ")));
            }
            Map<UUID, String> changed = new LinkedHashMap<>();
            users.forEach(user -> {
                UUID member = state.principals().get(user).id();
                if (before.members().contains(member) != add) {
                    changed.put(member, user);
                }
            });
            if (changed.isEmpty()) {
                return group(before);
            }
            String action = add ? "group.member-add" : "group.member-remove";
            requireHeldByGroup(caller, before, action);
            if (!add) {
                requireAdminLeft("removing user" + (changed.size() == 1 ? " " : "s ")
                        + String.join(", ", changed.values()) + " from group " + name, (binding, holder) ->
                        before.id().equals(binding.group()) && changed.containsKey(holder.id()));
            }
            Set<UUID> members = new HashSet<>(before.members());
            if (add) {
                members.addAll(changed.keySet());
            } else {
                members.removeAll(changed.keySet());
            }
            StoredGroup after = new StoredGroup(before.id(), name, before.description(), members);
            store.saveGroup(after, audit(caller.source(), action, "group/" + name, group(before), group(after)));
            state.groups().put(after);
            return group(after);
        });
    }

    private Group group(StoredGroup group) {
        return new Group(group.name(), group.description(), group.members().stream()
                .map(id -> state.principals().get(id).name()).sorted().toList());
    }

    // --- roles ---

    public List<Role> roles() {
        return state.read(() -> {
            List<Role> all = new ArrayList<>();
            PermissionRegistry.builtInRoles().forEach(name -> all.add(describe(name)));
            state.roles().forEach(role -> all.add(describe(role.name())));
            return all;
        });
    }

    public Role role(String name) {
        return state.read(() -> {
            requireRole(name);
            return describe(name);
        });
    }

    /**
     * Creates a role, or replaces the permissions of one; a description left out ({@code null}) is
     * empty for a new role and stays for a changed one.
     *
     * @throws ForbiddenException if the caller does not hold, on the whole instance, each permission
     *     the role did not hold before and each it no longer holds
     */
    public Role saveRole(String name, String description, Set<String> rolePermissions, boolean create,
            Caller caller) {
        checkName("role", name);
        checkLength("description", description, MAX_DESCRIPTION);
        if (PermissionRegistry.builtIn(name)) {
            throw new ConflictException("'" + name + "' is a built-in role and cannot be changed");
        }
        if (rolePermissions == null || rolePermissions.isEmpty()) {
            throw new InvalidRequestException("a role needs at least one permission");
        }
        Set<String> known = new HashSet<>();
        permissions().forEach(p -> known.add(p.name()));
        for (String permission : rolePermissions) {
            if (!known.contains(Permission.checkName(permission))) {
                throw new NotFoundException("no permission " + Messages.quote(permission)
                        + "; see security:permissions");
            }
        }
        return state.write(() -> {
            StoredRole before = state.role(name);
            if (create && before != null) {
                throw new ConflictException("role '" + name + "' already exists");
            }
            if (!create && before == null) {
                throw new NotFoundException("no role " + Messages.quote(name));
            }
            Set<String> added = new TreeSet<>(rolePermissions);
            if (before != null) {
                added.removeAll(before.permissions());
            }
            String action = create ? "role.create" : "role.update";
            requireHeld(caller, added, null, true, action, "role/" + name, "role " + name + " would hold it",
                    GRANTING);
            if (before != null) {
                // Those no plugin declares now are held by no one: taking them out takes nothing away.
                Set<String> taken = new TreeSet<>(before.permissions());
                taken.removeAll(rolePermissions);
                taken.retainAll(known);
                requireHeld(caller, taken, null, true, action, "role/" + name, "role " + name + " holds it",
                        TAKING_AWAY);
            }
            String kept = description != null ? description : before == null ? "" : before.description();
            StoredRole after = new StoredRole(name, kept, rolePermissions);
            store.saveRole(after, audit(caller.source(), action, "role/" + name,
                    before == null ? null : describe(name), after));
            state.putRole(after);
            return describe(name);
        });
    }

    /**
     * Removes a role that is not built in, with its bindings.
     *
     * @throws ForbiddenException if the caller does not hold each of the role's permissions on the
     *     whole instance
     */
    public void removeRole(String name, Caller caller) {
        if (PermissionRegistry.builtIn(name)) {
            throw new ConflictException("'" + name + "' is a built-in role and cannot be removed");
        }
        state.write(() -> {
            requireRole(name);
            requireHeld(caller, permissionsOf(name), null, true, "role.delete", "role/" + name,
                    "role " + name + " holds it", TAKING_AWAY);
            store.deleteRole(name, audit(caller.source(), "role.delete", "role/" + name, describe(name), null));
            state.removeRole(name);
            return null;
        });
    }

    private void requireRole(String name) {
        if (!PermissionRegistry.builtIn(name) && state.role(name) == null) {
            throw new NotFoundException("no role " + Messages.quote(name));
        }
    }

    private Role describe(String name) {
        StoredRole stored = state.role(name);
        return new Role(name, stored == null ? "built in" : stored.description(), stored == null,
                List.copyOf(permissions.permissionsOf(name, stored)));
    }

    // --- bindings ---

    public List<Binding> bindings() {
        return state.read(() -> state.bindings().stream().map(this::binding).toList());
    }

    /**
     * Grants a role to a user or a group, on the whole instance ({@code system} null) or on one
     * system and, with {@code includeMembers}, everything it aggregates.
     *
     * @throws ForbiddenException if the caller does not hold, where the binding grants them, all the
     *     permissions of the role
     */
    public Binding bind(String role, String user, String group, String system, boolean includeMembers,
            Caller caller) {
        if (role == null) {
            throw new InvalidRequestException("role is required: the role to grant");
        }
        if ((user == null) == (group == null)) {
            throw new InvalidRequestException("a binding names either a user or a group");
        }
        if (system == null && !includeMembers) {
            throw new InvalidRequestException("includeMembers false needs a system: a binding on the whole instance"
                    + " covers every system");
        }
        UUID systemId = system == null ? null : systems.get(system).id();
        return state.write(() -> {
            requireRole(role);
            UUID principal = user == null ? null : state.principals().require(user).id();
            UUID groupId = group == null ? null : state.groups().require(group).id();
            // On the whole instance, includeMembers makes no difference.
            boolean exists = state.bindings().stream().anyMatch(b -> b.role().equals(role)
                    && Objects.equals(b.principal(), principal) && Objects.equals(b.group(), groupId)
                    && Objects.equals(b.system(), systemId)
                    && (systemId == null || b.includeMembers() == includeMembers));
            if (exists) {
                throw new ConflictException("that binding already exists");
            }
            requireHeld(caller, permissionsOf(role), systemId, includeMembers, "binding.create",
                    user == null ? "group/" + group : "user/" + user, "role " + role + " grants it", GRANTING);
            StoredBinding binding = new StoredBinding(UUID.randomUUID(), role, principal, groupId, systemId,
                    includeMembers, now());
            try {
                store.insertBinding(binding, audit(caller.source(), "binding.create", "binding/" + binding.id(), null,
                        binding(binding)));
            } catch (RuntimeException e) {
                // Deleted since it was looked up: the database refuses a binding to a system it no longer has.
                if (systemId != null && systems.find(systemId).isEmpty()) {
                    throw new NotFoundException("no system " + Messages.quote(system), e);
                }
                throw e;
            }
            state.putBinding(binding);
            return binding(binding);
        });
    }

    /**
     * Removes a binding.
     *
     * @throws ForbiddenException if the caller does not hold, where the binding grants them, all the
     *     permissions of its role: what creating it needs
     * @throws ConflictException if that leaves no one holding {@code admin} on the whole instance
     */
    public void unbind(UUID id, Caller caller) {
        state.write(() -> {
            StoredBinding binding = state.binding(id);
            if (binding == null) {
                throw new NotFoundException("no binding " + id);
            }
            requireHeld(caller, permissionsOf(binding.role()), binding.system(), binding.includeMembers(),
                    "binding.delete", "binding/" + id, "role " + binding.role() + " grants it", TAKING_AWAY);
            requireAdminLeft("removing binding " + id, (gone, holder) -> gone.id().equals(id));
            store.deleteBinding(id, audit(caller.source(), "binding.delete", "binding/" + id, binding(binding),
                    null));
            state.removeBinding(id);
            return null;
        });
    }

    /** Forgets the bindings on a system that was deleted; the database dropped them with it. */
    @Override
    public void event(SystemEvent event) {
        if (event.type() == SystemEvent.Type.REMOVED) {
            UUID system = event.subject().id();
            state.write(() -> {
                state.removeBindingsOn(system);
                return null;
            });
        }
    }

    private Binding binding(StoredBinding binding) {
        return new Binding(binding.id(), binding.role(),
                binding.principal() == null ? null : state.principals().get(binding.principal()).name(),
                binding.group() == null ? null : state.groups().get(binding.group()).name(),
                binding.system() == null ? null : slug(binding.system()), binding.includeMembers(),
                binding.created());
    }

    private String slug(UUID system) {
        return systems.find(system).map(ManagedSystem::slug).orElse(system.toString());
    }

    // --- tokens ---

    /** Returns the tokens of one user, or of everyone when {@code user} is null, newest first. */
    public List<Token> tokens(String user) {
        return state.read(() -> {
            UUID owner = user == null ? null : state.principals().require(user).id();
            return state.tokens().stream().filter(t -> owner == null || t.principal().equals(owner))
                    .sorted(Comparator.comparing(StoredToken::created).reversed()).map(this::token).toList();
        });
    }

    public Token token(UUID id) {
        return state.read(() -> {
            StoredToken token = state.token(id);
            if (token == null) {
                throw new NotFoundException("no token " + id);
            }
            return token(token);
        });
    }

    /**
     * Creates a token for a user, limited to some of the roles the user holds and to some systems,
     * expiring after {@code lifetime} (the configured default if null). The systems must be ones the
     * caller may see ({@code systems:read}); one it may not is as unknown. A token for another user
     * lets the caller act as that user, so it needs what {@link #requireActAs} asks.
     * <p>
     * A token made with a token is no broader than it: its roles and systems are within that token's
     * (they are that token's when not given), and it expires no later; else a leaked narrow token
     * would make a wide one.
     *
     * @throws ForbiddenException if what is asked for goes beyond the caller's token, or the token is
     *     for a user the caller may not act as
     * @throws NotFoundException for a system that does not exist or that the caller may not see
     */
    public IssuedToken createToken(Caller caller, String user, String name, Set<String> tokenRoles,
            Set<String> tokenSystems, Duration lifetime) {
        if (tokenRoles != null && (tokenRoles.stream().anyMatch(Objects::isNull)
                || tokenRoles.size() > MAX_TOKEN_ROLES)) {
            throw new InvalidRequestException("roles names 1 to " + MAX_TOKEN_ROLES + " roles, none of them null");
        }
        if (tokenSystems != null) {
            Scope visible = caller.scope(KernelPermissions.SYSTEMS_READ);
            for (String slug : tokenSystems) {
                if (slug == null) {
                    throw new InvalidRequestException("systems names systems, none of them null");
                }
                if (!visible.includes(slug)) {
                    throw new NotFoundException("no system " + Messages.quote(slug));
                }
            }
        }
        StoredToken by = caller instanceof GrantedCaller granted ? granted.token() : null;
        if (by == null) {
            return createToken(user, name, tokenRoles, tokenSystems, lifetime, caller);
        }
        Set<String> roles = tokenRoles == null ? by.roles() : tokenRoles;
        if (by.roles() != null && !by.roles().containsAll(roles)) {
            throw new ForbiddenException("a token made with a token carries only roles it carries: "
                    + new TreeSet<>(by.roles()));
        }
        Set<String> slugs = tokenSystems;
        if (by.systems() != null) {
            Set<String> within = new TreeSet<>();
            by.systems().forEach(id -> systems.find(id).ifPresent(system -> within.add(system.slug())));
            if (slugs == null) {
                slugs = within;
            } else if (!within.containsAll(slugs)) {
                throw new ForbiddenException("a token made with a token is limited to systems it is limited to: "
                        + within);
            }
        }
        Duration life = lifetime;
        if (by.expires() != null) {
            Duration left = Duration.between(now(), by.expires());
            if (lifetime != null && lifetime.compareTo(left) > 0) {
                throw new ForbiddenException("a token made with a token expires no later than it, at "
                        + by.expires());
            }
            life = lifetime != null ? lifetime : tokenDefault.compareTo(left) < 0 ? tokenDefault : left;
        }
        return createToken(user, name, roles, slugs, life, caller);
    }

    private IssuedToken createToken(String user, String name, Set<String> tokenRoles, Set<String> tokenSystems,
            Duration lifetime, Caller caller) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidRequestException("a token needs a name of 1 to 100 characters");
        }
        Duration life = lifetime == null ? tokenDefault : lifetime;
        if (life.isNegative() || life.isZero() || life.compareTo(tokenMax) > 0) {
            throw new InvalidRequestException("a token lives between 1 second and " + tokenMax.toDays() + " days");
        }
        Set<UUID> systemIds = tokenSystems == null ? null : new HashSet<>();
        if (tokenSystems != null) {
            tokenSystems.forEach(slug -> systemIds.add(systems.get(slug).id()));
        }
        String secret = Tokens.generate(Tokens.PREFIX);
        return state.write(() -> {
            StoredPrincipal owner = state.principals().require(user);
            if (!user.equals(caller.source().name())) {
                requireActAs(caller, owner, "token.create", "user/" + user + "/tokens", GRANTING);
            }
            if (tokenRoles != null) {
                Set<String> held = new HashSet<>();
                state.bindingsOf(owner).forEach(b -> held.add(b.role()));
                for (String role : tokenRoles) {
                    requireRole(role);
                    if (!held.contains(role)) {
                        throw new InvalidRequestException("'" + user + "' holds no binding of role '" + role
                                + "', so a token cannot carry it");
                    }
                }
            }
            if (state.tokens().stream().anyMatch(t -> t.principal().equals(owner.id()) && t.name().equals(name))) {
                throw new ConflictException("'" + user + "' already has a token named '" + name + "'");
            }
            Instant created = now();
            StoredToken token = new StoredToken(UUID.randomUUID(), name, owner.id(), Tokens.hash(secret), tokenRoles,
                    systemIds, created.plus(life), created, null);
            store.insertToken(token, audit(caller.source(), "token.create", "user/" + user + "/tokens/" + token.id(),
                    null, token(token)));
            state.putToken(token);
            return new IssuedToken(token(token), secret);
        });
    }

    /**
     * Revokes a token; it stops working at once. Revoking a revoked token changes nothing. A user
     * revokes its own tokens, through a token too; another user's, only if it may
     * {@linkplain #requireActAs act as that user}: else it could lock out one who holds more.
     *
     * @throws ForbiddenException if the token is another user's whom the caller may not act as
     */
    public Token revokeToken(UUID id, Caller caller) {
        return state.write(() -> {
            StoredToken before = state.token(id);
            if (before == null) {
                throw new NotFoundException("no token " + id);
            }
            if (before.revoked() != null) {
                return token(before);
            }
            StoredPrincipal owner = state.principals().get(before.principal());
            String target = "user/" + owner.name() + "/tokens/" + id;
            if (!owner.name().equals(caller.source().name())) {
                requireActAs(caller, owner, "token.revoke", target, TAKING_AWAY);
            }
            Instant at = now();
            StoredToken after = new StoredToken(before.id(), before.name(), before.principal(), before.secretHash(),
                    before.roles(), before.systems(), before.expires(), before.created(), at);
            store.revokeToken(id, at, audit(caller.source(), "token.revoke", target, token(before),
                    token(after)));
            state.putToken(after);
            return token(after);
        });
    }

    /** Returns the name of the user a token belongs to. */
    public String tokenOwner(UUID id) {
        return token(id).user();
    }

    private Token token(StoredToken token) {
        return new Token(token.id(), token.name(), state.principals().get(token.principal()).name(),
                token.roles() == null ? null : token.roles().stream().sorted().toList(),
                token.systems() == null ? null : token.systems().stream().map(this::slug).sorted().toList(),
                token.expires(), token.created(), token.revoked());
    }

    // --- escalation: a caller grants, and takes away, only what it holds ---

    /**
     * Refuses a change that would grant permissions where the caller does not hold them itself, as
     * Kubernetes RBAC refuses escalation: else whoever may change bindings could make itself admin;
     * or that would take them away from others there: else it could lock out those who hold more,
     * down to the last admin. Called under the state's lock, so that what is compared stays as it is
     * until the change is made.
     *
     * @param granted the permissions the change grants or takes away
     * @param system where: a system, or {@code null} for the whole instance
     * @param includeMembers with a system, whether also on everything it aggregates now
     * @param action the audited action refused; its refusal is audited as {@code action-refused}
     * @param why why the change grants or takes away a permission, such as {@code role admin grants it}
     * @param rule {@link #GRANTING} or {@link #TAKING_AWAY}, to end the refusal with
     * @throws ForbiddenException naming the first permission the caller lacks and where
     */
    private void requireHeld(Caller caller, Set<String> granted, UUID system, boolean includeMembers, String action,
            String target, String why, String rule) {
        List<String> slugs = system == null ? List.of() : systems.find(system)
                .map(found -> includeMembers ? withMembers(found.slug()) : List.of(found.slug())).orElse(List.of());
        for (String permission : new TreeSet<>(granted)) {
            Scope held = grantable(caller, permission);
            String missing = system == null ? (held.everywhere() ? null : "the whole instance")
                    : slugs.stream().filter(slug -> !held.includes(slug)).findFirst()
                            .map(slug -> "system " + Messages.quote(slug)).orElse(null);
            if (missing != null) {
                auditOutsideStore.accept(audit(caller.source(), action + "-refused", target, null,
                        Map.of("permission", permission, "on", missing, "reason", why)));
                throw new ForbiddenException("missing permission " + permission + " on " + missing + ": " + why
                        + ", and " + rule);
            }
        }
    }

    /**
     * Refuses to let the caller act as a principal (set its password without the current one, give it
     * an SSH key, make another user a token) or take its rights away (disable, enable or remove it,
     * remove one of its SSH keys, revoke another user's token) unless the caller holds on the whole
     * instance every permission the principal holds anywhere. A user may do so to itself, but not
     * through a token, which may carry less than its owner. (A user making itself a token, or
     * revoking one of its own, is not asked this: a token made with a token is no broader than it,
     * see {@link #createToken(Caller, String, String, Set, Set, Duration)}, and revoking one's own
     * takes nothing from anyone else.)
     *
     * @param rule {@link #GRANTING} or {@link #TAKING_AWAY}, to end the refusal with
     */
    private void requireActAs(Caller caller, StoredPrincipal principal, String action, String target, String rule) {
        if (caller instanceof GrantedCaller granted && granted.token() == null
                && granted.source().name().equals(principal.name())) {
            return;
        }
        Set<String> held = new TreeSet<>();
        state.bindingsOf(principal).forEach(binding -> held.addAll(permissionsOf(binding.role())));
        requireHeld(caller, held, null, true, action, target, "user " + principal.name() + " holds it", rule);
    }

    /**
     * Refuses to disable, enable or remove a principal unless the caller may {@linkplain #requireActAs
     * act as it}. An agent that holds the role agent only, in no group, is its managers' to disable
     * and remove: for one, {@code agentManager} says the caller holds {@code agents:manage} on each
     * of its systems, and that is enough.
     */
    private void requireTakeAway(Caller caller, StoredPrincipal principal, boolean agentManager, String action,
            String target) {
        if (agentManager && principal.service() && AgentEnrollments.onlyAnAgent(state, principal)) {
            return;
        }
        requireActAs(caller, principal, action, target, TAKING_AWAY);
    }

    /**
     * Refuses, for adding a member to a group, removing one or removing the group, unless the caller
     * holds what the group's bindings grant, where they grant it.
     */
    private void requireHeldByGroup(Caller caller, StoredGroup group, String action) {
        String rule = action.equals("group.member-add") ? GRANTING : TAKING_AWAY;
        state.bindings().stream().filter(b -> group.id().equals(b.group())).forEach(b -> requireHeld(caller,
                permissionsOf(b.role()), b.system(), b.includeMembers(), action, "group/" + group.name(),
                "group " + group.name() + " grants it", rule));
    }

    /**
     * Refuses a change after which no principal that is not disabled holds the built-in role admin on
     * the whole instance, directly or through a group, where one did before: else only the local
     * console could get back in. Whoever asks, admin too. Under the state's lock.
     *
     * @param change what would do it, such as {@code removing user admin}
     * @param loses whether the change takes this binding away from this principal that holds it now
     * @throws ConflictException saying so
     */
    private void requireAdminLeft(String change, BiPredicate<StoredBinding, StoredPrincipal> loses) {
        boolean lost = false;
        for (StoredPrincipal holder : state.principals().all()) {
            if (holder.disabled()) {
                continue;
            }
            List<StoredBinding> admin = state.bindingsOf(holder)
                    .filter(b -> b.role().equals(ADMIN) && b.system() == null).toList();
            for (StoredBinding binding : admin) {
                if (!loses.test(binding, holder)) {
                    return;
                }
                lost = true;
            }
        }
        if (lost) {
            throw new ConflictException(change + " would take away the last binding of role admin on the whole"
                    + " instance to a user that is not disabled, leaving only the local console to administer"
                    + " Hanse; bind admin to another user first");
        }
    }

    /**
     * Returns where the caller may grant a permission: where it holds it; for {@code agents:report},
     * which only agents hold, where it may enroll agents, as enrolling one grants it there.
     */
    private static Scope grantable(Caller caller, String permission) {
        return caller.scope(permission.equals(KernelPermissions.AGENTS_REPORT) ? KernelPermissions.AGENTS_ENROLL
                : permission);
    }

    private List<String> withMembers(String slug) {
        List<String> slugs = new ArrayList<>(systems.transitiveMembers(slug));
        slugs.add(0, slug);
        return slugs;
    }

    /** Returns the declared permissions a role grants now; under the state's lock. */
    private Set<String> permissionsOf(String role) {
        return permissions.permissionsOf(role, state.role(role));
    }

    // --- first start ---

    @Activate
    void start() {
        firstStart(System.getenv(ADMIN_PASSWORD_VARIABLE));
    }

    /**
     * Creates the first admin if there is no user: with the password from the environment, or with a
     * one-time password written to a file only this account can read. The password is never logged. One
     * from the environment that {@link Passwords#checkStrength} refuses is not used: the admin gets a
     * one-time password as without one, and one error says why, so that the instance still starts and
     * can be logged in to.
     */
    void firstStart(String fromEnvironment) {
        boolean given = fromEnvironment != null && !fromEnvironment.isEmpty();
        String weak = null;
        if (given && state.read(() -> state.principals().all().isEmpty())) {
            char[] password = fromEnvironment.toCharArray();
            try {
                Passwords.checkStrength(ADMIN, password);
            } catch (InvalidRequestException refused) {
                // Its message says what is wrong, never the password.
                weak = refused.getMessage();
                given = false;
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        char[] generated = createFirstAdmin(given ? fromEnvironment.toCharArray() : null);
        if (generated != null) {
            OneTimePassword.write(oneTimePasswordFile, generated);
            Arrays.fill(generated, '\0');
            if (weak != null) {
                LOG.error("First start: the password in {} is not used: {}. Created user admin with a one-time"
                        + " password in {} instead (readable by this account only). Log in to the shell as admin"
                        + " and set a password with security:password: at least {} characters, at least 5"
                        + " different ones, not containing the user name or a commonly used word",
                        ADMIN_PASSWORD_VARIABLE, weak, oneTimePasswordFile, Passwords.MIN_LENGTH);
            } else {
                LOG.info("First start: created user admin; its one-time password is in {} (readable by this"
                        + " account only). Log in to the shell as admin and set a new one with security:password",
                        oneTimePasswordFile);
            }
        } else if (given && state.read(() -> state.principals().all().size() == 1
                && state.principals().get(ADMIN) != null)) {
            LOG.info("First start: created user admin with the password from {}", ADMIN_PASSWORD_VARIABLE);
        }
    }

    private void forgetOneTimePassword() {
        OneTimePassword.delete(oneTimePasswordFile);
    }

    /**
     * Creates the {@code admin} user, bound to the built-in admin role on the whole instance, if
     * there is no user at all.
     *
     * @param password the password to give it, or {@code null} to generate a one-time password
     * @return the generated password, or {@code null} if none was generated or the admin existed
     */
    char[] createFirstAdmin(char[] password) {
        if (state.read(() -> !state.principals().all().isEmpty())) {
            return null;
        }
        if (password != null) {
            Passwords.checkStrength(ADMIN, password);
        }
        char[] chosen = password == null ? Passwords.generate() : password;
        String hash = authentication.hash(chosen);
        return state.write(() -> {
            if (!state.principals().all().isEmpty()) {
                return null;
            }
            StoredPrincipal admin = new StoredPrincipal(UUID.randomUUID(), ADMIN, false, "Administrator", hash,
                    password == null, false, now());
            StoredBinding binding = new StoredBinding(UUID.randomUUID(), ADMIN, admin.id(), null, null, true, now());
            // One transaction: an admin without its binding could never be repaired by a later first start.
            store.insertPrincipal(admin, List.of(binding), audit(KERNEL, "user.create", "user/" + ADMIN, null,
                    Map.of("user", user(admin), "role", ADMIN, "on", "the whole instance")));
            state.principals().put(admin);
            state.putBinding(binding);
            return password == null ? chosen : null;
        });
    }

    // --- helpers ---

    /** Returns whether a user, group or role may have this name. */
    static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static void checkName(String what, String name) {
        if (!isName(name)) {
            throw new InvalidRequestException("a " + what + " name is 1 to 64 lower-case letters, digits, '.', '_'"
                    + " or '-', starting with a letter, not " + (name == null ? "nothing" : Messages.quote(name)));
        }
    }

    /**
     * Refuses text longer than the store keeps.
     *
     * @throws InvalidRequestException naming the field and its limit
     */
    private static void checkLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidRequestException(field + " is at most " + max + " characters long, not "
                    + value.length());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

}
