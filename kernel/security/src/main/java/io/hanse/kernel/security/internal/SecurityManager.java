package io.hanse.kernel.security.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.Permission;
import io.hanse.api.security.PermissionSet;
import io.hanse.api.security.SecurityService;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemListener;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.security.Authenticator;
import io.hanse.kernel.security.internal.GrantedCaller.Reach;
import io.hanse.kernel.security.internal.GrantedCaller.Root;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.SecurityStore;
import io.hanse.kernel.store.StoredBinding;
import io.hanse.kernel.store.StoredGroup;
import io.hanse.kernel.store.StoredKey;
import io.hanse.kernel.store.StoredPrincipal;
import io.hanse.kernel.store.StoredRole;
import io.hanse.kernel.store.StoredToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AccessController;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Principals, groups, roles, role bindings, API tokens and SSH keys: kept in memory, written
 * through to the store (each change with its audit entry), and the one place that decides who a
 * caller is and what it may do.
 */
@Component(service = {SecurityService.class, Authenticator.class, SystemListener.class, SecurityManager.class},
        configurationPid = SecurityConfig.PID)
@Designate(ocd = SecurityConfig.class)
public final class SecurityManager implements SecurityService, Authenticator, SystemListener {

    /** The built-in roles, each holding the permissions of its level and those below. */
    public static final Map<String, Permission.Level> BUILT_IN_ROLES = Map.of(
            "viewer", Permission.Level.READ, "operator", Permission.Level.OPERATE,
            "admin", Permission.Level.ADMINISTER);
    static final String ADMIN = "admin";
    /** Karaf's role that lets a shell login in at all ({@code sshRole} in {@code etc/org.apache.karaf.shell.cfg}). */
    static final String KARAF_SSH_ROLE = "ssh";
    private static final Logger LOG = LoggerFactory.getLogger(SecurityManager.class);
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    /** Sets the first admin's password at first start instead of a generated one-time password. */
    static final String ADMIN_PASSWORD_VARIABLE = "HANSE_ADMIN_PASSWORD";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    private static final String NOT_VALID = "the credentials are not valid";
    private static final Source KERNEL = Source.KERNEL;
    /** Hashed when a user does not exist, so that a wrong name takes as long as a wrong password. */
    private static final String DUMMY_HASH = Passwords.hash("not-a-password-0123".toCharArray());

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
    private final Clock clock;
    private final LoginThrottle throttle;
    private final boolean basicAuth;
    private final Duration tokenDefault;
    private final Duration tokenMax;
    private final GrantedCaller anonymous;
    private final Path oneTimePasswordFile;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // All guarded by lock.
    private final Map<UUID, StoredPrincipal> principals = new HashMap<>();
    private final Map<String, StoredPrincipal> principalsByName = new TreeMap<>();
    private final Map<UUID, StoredGroup> groups = new HashMap<>();
    private final Map<String, StoredGroup> groupsByName = new TreeMap<>();
    private final Map<String, StoredRole> roles = new TreeMap<>();
    private final Map<UUID, StoredBinding> bindings = new LinkedHashMap<>();
    private final Map<UUID, StoredToken> tokens = new LinkedHashMap<>();
    private final Map<String, StoredToken> tokensByHash = new HashMap<>();
    private final Map<String, StoredKey> keysByFingerprint = new TreeMap<>();

    /** Declared permissions by name, and who declared them; guarded by itself. */
    private final Map<String, Permission> permissions = new TreeMap<>();
    private final Map<PermissionSet, List<Permission>> declared = new HashMap<>();

    @Activate
    public SecurityManager(@Reference SecurityStore store, @Reference SystemService systems, SecurityConfig config) {
        this(store, systems, config, Clock.systemUTC());
    }

    SecurityManager(SecurityStore store, SystemService systems, SecurityConfig config, Clock clock) {
        this(store, systems, config, clock, Path.of(System.getProperty("karaf.data", "data"), "hanse-admin-password"));
    }

    SecurityManager(SecurityStore store, SystemService systems, SecurityConfig config, Clock clock,
            Path oneTimePasswordFile) {
        if (config.freeFailures() < 1 || config.maxLockoutSeconds() < 1) {
            throw new IllegalArgumentException("freeFailures and maxLockoutSeconds must be at least 1");
        }
        if (config.tokenDefaultDays() < 1 || config.tokenDefaultDays() > config.tokenMaxDays()) {
            throw new IllegalArgumentException("tokenDefaultDays must be between 1 and tokenMaxDays");
        }
        this.store = store;
        this.systems = systems;
        this.clock = clock;
        this.throttle = new LoginThrottle(config.freeFailures(), Duration.ofSeconds(config.maxLockoutSeconds()),
                clock);
        this.basicAuth = config.basicAuth();
        this.tokenDefault = Duration.ofDays(config.tokenDefaultDays());
        this.tokenMax = Duration.ofDays(config.tokenMaxDays());
        this.oneTimePasswordFile = oneTimePasswordFile;
        this.anonymous = new GrantedCaller(new Source(Source.Kind.USER, "anonymous"), false, () -> false, Map.of(),
                null, systems);
        load();
    }

    private void load() {
        SecurityStore.Contents contents = store.loadAll();
        contents.principals().forEach(this::putPrincipal);
        contents.groups().forEach(this::putGroup);
        contents.roles().forEach(role -> roles.put(role.name(), role));
        contents.bindings().forEach(binding -> bindings.put(binding.id(), binding));
        contents.tokens().forEach(this::putToken);
        contents.keys().forEach(key -> keysByFingerprint.put(key.fingerprint(), key));
    }

    // --- permissions ---

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPermissionSet(PermissionSet set) {
        List<Permission> accepted = new ArrayList<>();
        synchronized (permissions) {
            for (Permission permission : set.permissions()) {
                if (permissions.containsKey(permission.name())) {
                    LOG.error("Permission {} is declared twice; {} keeps the first declaration", permission.name(),
                            set.getClass().getName());
                } else {
                    permissions.put(permission.name(), permission);
                    accepted.add(permission);
                }
            }
            declared.put(set, accepted);
        }
    }

    void removePermissionSet(PermissionSet set) {
        synchronized (permissions) {
            List<Permission> gone = declared.remove(set);
            if (gone != null) {
                gone.forEach(permission -> permissions.remove(permission.name()));
            }
        }
    }

    @Override
    public List<Permission> permissions() {
        synchronized (permissions) {
            return List.copyOf(permissions.values());
        }
    }

    /** The permissions a role holds now: by level for a built-in role, as declared for a stored one. */
    private Set<String> permissionsOf(String role) {
        Permission.Level level = BUILT_IN_ROLES.get(role);
        synchronized (permissions) {
            Set<String> held = new TreeSet<>();
            if (level != null) {
                permissions.values().stream().filter(p -> p.level().compareTo(level) <= 0)
                        .forEach(p -> held.add(p.name()));
            } else if (roles.containsKey(role)) {
                roles.get(role).permissions().stream().filter(permissions::containsKey).forEach(held::add);
            }
            return held;
        }
    }

    // --- who is calling ---

    @Override
    public Caller authenticate(String authorization, String address) {
        if (authorization == null) {
            return anonymous;
        }
        String addressKey = "address " + address;
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // A valid token is accepted even from an address locked out by others' guessing (behind
            // one NAT, say): no one guesses 256 random bits, so only wrong tokens are slowed down.
            String secret = authorization.substring(7).strip();
            Caller caller = read(() -> {
                StoredToken token = tokensByHash.get(Tokens.hash(secret));
                StoredPrincipal owner = token == null ? null : principals.get(token.principal());
                boolean valid = owner != null && !owner.disabled() && usable(token);
                return valid ? callerOf(owner, token) : null;
            });
            if (caller == null) {
                throttle.check(addressKey);
                throttle.failed(addressKey);
                throw new UnauthenticatedException(NOT_VALID);
            }
            return caller;
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (!basicAuth) {
                throw new UnauthenticatedException("HTTP Basic is turned off on this instance; send an API token"
                        + " as Authorization: Bearer <token>");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new UnauthenticatedException(NOT_VALID);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new UnauthenticatedException(NOT_VALID);
            }
            return login(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray(), address);
        }
        throw new UnauthenticatedException("unsupported Authorization scheme; send Authorization: Bearer <token>");
    }

    /**
     * Checks a user's password: for the shell's JAAS realm and for HTTP Basic.
     *
     * @throws UnauthenticatedException if the user does not exist, is disabled or the password is wrong
     * @throws io.hanse.api.TooManyRequestsException if the user or the address is locked out
     */
    Caller login(String name, char[] password, String address) {
        String userKey = "user " + name;
        String addressKey = "address " + address;
        throttle.check(userKey, addressKey);
        StoredPrincipal principal = read(() -> principalsByName.get(name));
        boolean valid;
        try {
            if (principal == null || principal.passwordHash() == null) {
                Passwords.verify(password, DUMMY_HASH);
                valid = false;
            } else {
                valid = Passwords.verify(password, principal.passwordHash());
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        if (!valid || principal.disabled()) {
            throttle.failed(userKey, addressKey);
            throw new UnauthenticatedException(NOT_VALID);
        }
        throttle.succeeded(userKey);
        if (principal.oneTimePassword()) {
            LOG.warn("User {} logged in with its one-time password; set a new one with security:password",
                    principal.name());
        }
        return read(() -> callerOf(principal, null));
    }

    /**
     * Checks an SSH key login.
     *
     * @throws UnauthenticatedException if the key is not one of the user's, or the user is disabled
     */
    Caller login(String name, PublicKey key, String address) {
        String userKey = "user " + name;
        String addressKey = "address " + address;
        throttle.check(userKey, addressKey);
        String fingerprint = SshKeys.fingerprint(key);
        Caller caller = read(() -> {
            StoredKey stored = keysByFingerprint.get(fingerprint);
            StoredPrincipal owner = stored == null ? null : principals.get(stored.principal());
            return owner != null && owner.name().equals(name) && !owner.disabled() ? callerOf(owner, null) : null;
        });
        if (caller == null) {
            throttle.failed(userKey, addressKey);
            throw new UnauthenticatedException(NOT_VALID);
        }
        throttle.succeeded(userKey);
        return caller;
    }

    /** Returns the Karaf roles a shell login carries: {@code ssh} to log in at all, {@code admin} for Karaf's own commands. */
    Set<String> karafRoles(String name) {
        return read(() -> {
            StoredPrincipal principal = principalsByName.get(name);
            Set<String> karafRoles = new TreeSet<>();
            if (principal == null) {
                return karafRoles;
            }
            GrantedCaller caller = callerOf(principal, null);
            if (!caller.scope(KernelPermissions.SHELL_LOGIN).isEmpty()) {
                karafRoles.add(KARAF_SSH_ROLE);
            }
            if (bindingsOf(principal).anyMatch(b -> b.role().equals(ADMIN) && b.system() == null)) {
                karafRoles.add(ADMIN);
            }
            return karafRoles;
        });
    }

    UUID principalId(String name) {
        return read(() -> require(name).id());
    }

    @Override
    public Caller shellCaller() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject == null) {
            return anonymous;
        }
        for (HanseLogin login : subject.getPrincipals(HanseLogin.class)) {
            return read(() -> {
                StoredPrincipal principal = principals.get(login.id());
                return principal == null || principal.disabled() ? anonymous : callerOf(principal, null);
            });
        }
        // Not logged in through Hanse's realm: the local console, whose roles Karaf sets itself.
        boolean admin = subject.getPrincipals(RolePrincipal.class).stream().anyMatch(r -> r.getName().equals(ADMIN));
        String name = subject.getPrincipals(UserPrincipal.class).stream().map(UserPrincipal::getName).findFirst()
                .orElse("console");
        if (!admin) {
            return anonymous;
        }
        Map<String, Reach> everything = new HashMap<>();
        permissions().forEach(p -> everything.put(p.name(), new Reach(true, List.of())));
        return new GrantedCaller(new Source(Source.Kind.USER, name), true, () -> true, everything, null, systems);
    }

    /** What a principal may do, narrowed by a token; under the read lock. */
    private GrantedCaller callerOf(StoredPrincipal principal, StoredToken token) {
        Map<String, Boolean> everywhere = new HashMap<>();
        Map<String, List<Root>> roots = new HashMap<>();
        bindingsOf(principal)
                .filter(binding -> token == null || token.roles() == null || token.roles().contains(binding.role()))
                .forEach(binding -> {
                    for (String permission : permissionsOf(binding.role())) {
                        if (binding.system() == null) {
                            everywhere.put(permission, true);
                        } else {
                            roots.computeIfAbsent(permission, p -> new ArrayList<>())
                                    .add(new Root(binding.system(), binding.includeMembers()));
                        }
                    }
                });
        Map<String, Reach> reach = new HashMap<>();
        everywhere.keySet().forEach(p -> reach.put(p, new Reach(true, List.of())));
        roots.forEach((p, list) -> reach.putIfAbsent(p, new Reach(false, list)));
        List<Root> limit = token == null || token.systems() == null ? null
                : token.systems().stream().map(system -> new Root(system, true)).toList();
        Source.Kind kind = principal.service() ? Source.Kind.AGENT : Source.Kind.USER;
        return new GrantedCaller(new Source(kind, principal.name()), true, () -> stillValid(principal, token), reach,
                limit, systems);
    }

    /** Whether the principal still exists and is enabled, and the token (if any) is neither revoked nor expired. */
    private boolean stillValid(StoredPrincipal principal, StoredToken token) {
        return read(() -> {
            StoredPrincipal current = principals.get(principal.id());
            StoredToken held = token == null ? null : tokens.get(token.id());
            return current != null && !current.disabled() && (token == null || held != null && usable(held));
        });
    }

    private boolean usable(StoredToken token) {
        return token.revoked() == null && (token.expires() == null || clock.instant().isBefore(token.expires()));
    }

    private Stream<StoredBinding> bindingsOf(StoredPrincipal principal) {
        Set<UUID> memberOf = new HashSet<>();
        groups.values().stream().filter(g -> g.members().contains(principal.id())).forEach(g -> memberOf.add(g.id()));
        return bindings.values().stream().filter(binding -> principal.id().equals(binding.principal())
                || binding.group() != null && memberOf.contains(binding.group()));
    }

    // --- principals ---

    public List<User> users() {
        return read(() -> principalsByName.values().stream().map(this::user).toList());
    }

    public User user(String name) {
        return read(() -> user(require(name)));
    }

    /**
     * Creates a user or a service principal; a password is optional (a user may log in with SSH
     * keys or tokens only).
     */
    public User addUser(String name, String displayName, boolean service, char[] password, Source actor) {
        checkName("user", name);
        if (password != null) {
            Passwords.checkStrength(name, password);
        }
        String hash = password == null ? null : Passwords.hash(password);
        return write(() -> {
            if (principalsByName.containsKey(name)) {
                throw new ConflictException("user '" + name + "' already exists");
            }
            StoredPrincipal principal = new StoredPrincipal(UUID.randomUUID(), name, service,
                    displayName == null ? "" : displayName, hash, false, false, now());
            store.insertPrincipal(principal, List.of(), audit(actor, "user.create", "user/" + name, null,
                    user(principal)));
            putPrincipal(principal);
            return user(principal);
        });
    }

    public User updateUser(String name, String displayName, Boolean disabled, Source actor) {
        return write(() -> {
            StoredPrincipal before = require(name);
            StoredPrincipal after = new StoredPrincipal(before.id(), name, before.service(),
                    displayName == null ? before.displayName() : displayName, before.passwordHash(),
                    before.oneTimePassword(), disabled == null ? before.disabled() : disabled, before.created());
            store.savePrincipal(after, audit(actor, "user.update", "user/" + name, user(before), user(after)));
            putPrincipal(after);
            return user(after);
        });
    }

    /** Sets a user's password, by an administrator or by the user (who must then give the current one). */
    public void setPassword(String name, char[] current, char[] password, Source actor) {
        Passwords.checkStrength(name, password);
        StoredPrincipal principal = read(() -> require(name));
        if (current != null && (principal.passwordHash() == null || !Passwords.verify(current, principal.passwordHash()))) {
            throw new InvalidRequestException("the current password is wrong");
        }
        String hash = Passwords.hash(password);
        write(() -> {
            StoredPrincipal before = require(name);
            StoredPrincipal after = new StoredPrincipal(before.id(), name, before.service(), before.displayName(),
                    hash, false, before.disabled(), before.created());
            store.savePrincipal(after, audit(actor, "user.password", "user/" + name, null, null));
            putPrincipal(after);
            return null;
        });
        if (principal.oneTimePassword()) {
            forgetOneTimePassword();
        }
    }

    public void removeUser(String name, Source actor) {
        write(() -> {
            StoredPrincipal principal = require(name);
            store.deletePrincipal(principal.id(), audit(actor, "user.delete", "user/" + name, user(principal), null));
            principals.remove(principal.id());
            principalsByName.remove(name);
            groups.values().stream().filter(g -> g.members().contains(principal.id())).toList().forEach(g -> {
                Set<UUID> members = new HashSet<>(g.members());
                members.remove(principal.id());
                putGroup(new StoredGroup(g.id(), g.name(), g.description(), members));
            });
            bindings.values().removeIf(b -> principal.id().equals(b.principal()));
            tokens.values().stream().filter(t -> t.principal().equals(principal.id())).toList()
                    .forEach(t -> tokensByHash.remove(t.secretHash()));
            tokens.values().removeIf(t -> t.principal().equals(principal.id()));
            keysByFingerprint.values().removeIf(k -> k.principal().equals(principal.id()));
            return null;
        });
    }

    private StoredPrincipal require(String name) {
        StoredPrincipal principal = principalsByName.get(name);
        if (principal == null) {
            throw new NotFoundException("no user '" + name + "'");
        }
        return principal;
    }

    private User user(StoredPrincipal principal) {
        return new User(principal.name(), principal.service(), principal.displayName(), principal.disabled(),
                principal.oneTimePassword(), principal.created(), groups.values().stream()
                        .filter(g -> g.members().contains(principal.id())).map(StoredGroup::name).sorted().toList());
    }

    private void putPrincipal(StoredPrincipal principal) {
        principals.put(principal.id(), principal);
        principalsByName.put(principal.name(), principal);
    }

    // --- SSH keys ---

    public List<Key> keys(String user) {
        return read(() -> {
            UUID id = require(user).id();
            return keysByFingerprint.values().stream().filter(k -> k.principal().equals(id))
                    .map(k -> key(user, k)).toList();
        });
    }

    public Key addKey(String user, String line, Source actor) {
        String fingerprint = SshKeys.fingerprint(SshKeys.parse(line));
        return write(() -> {
            StoredPrincipal principal = require(user);
            if (keysByFingerprint.containsKey(fingerprint)) {
                throw new ConflictException("the key " + fingerprint + " is already registered");
            }
            StoredKey key = new StoredKey(principal.id(), fingerprint, line.strip(), now());
            store.insertKey(key, audit(actor, "key.add", "user/" + user + "/keys/" + fingerprint, null,
                    Map.of("fingerprint", fingerprint)));
            keysByFingerprint.put(fingerprint, key);
            return key(user, key);
        });
    }

    public void removeKey(String user, String fingerprint, Source actor) {
        write(() -> {
            StoredPrincipal principal = require(user);
            StoredKey key = keysByFingerprint.get(fingerprint);
            if (key == null || !key.principal().equals(principal.id())) {
                throw new NotFoundException("user '" + user + "' has no key " + fingerprint);
            }
            store.deleteKey(principal.id(), fingerprint, audit(actor, "key.remove",
                    "user/" + user + "/keys/" + fingerprint, Map.of("fingerprint", fingerprint), null));
            keysByFingerprint.remove(fingerprint);
            return null;
        });
    }

    private static Key key(String user, StoredKey key) {
        return new Key(user, key.fingerprint(), key.publicKey(), key.created());
    }

    // --- groups ---

    public List<Group> groups() {
        return read(() -> groupsByName.values().stream().map(this::group).toList());
    }

    public Group group(String name) {
        return read(() -> group(requireGroup(name)));
    }

    public Group addGroup(String name, String description, Source actor) {
        checkName("group", name);
        return write(() -> {
            if (groupsByName.containsKey(name)) {
                throw new ConflictException("group '" + name + "' already exists");
            }
            StoredGroup group = new StoredGroup(UUID.randomUUID(), name, description == null ? "" : description,
                    Set.of());
            store.saveGroup(group, audit(actor, "group.create", "group/" + name, null, group(group)));
            putGroup(group);
            return group(group);
        });
    }

    public void removeGroup(String name, Source actor) {
        write(() -> {
            StoredGroup group = requireGroup(name);
            store.deleteGroup(group.id(), audit(actor, "group.delete", "group/" + name, group(group), null));
            groups.remove(group.id());
            groupsByName.remove(name);
            bindings.values().removeIf(b -> group.id().equals(b.group()));
            return null;
        });
    }

    /** Adds or removes a member; adding one that is in, or removing one that is not, changes nothing. */
    public Group changeMember(String name, String user, boolean add, Source actor) {
        return write(() -> {
            StoredGroup before = requireGroup(name);
            UUID member = require(user).id();
            if (before.members().contains(member) == add) {
                return group(before);
            }
            Set<UUID> members = new HashSet<>(before.members());
            if (add) {
                members.add(member);
            } else {
                members.remove(member);
            }
            StoredGroup after = new StoredGroup(before.id(), name, before.description(), members);
            store.saveGroup(after, audit(actor, add ? "group.member-add" : "group.member-remove", "group/" + name,
                    group(before), group(after)));
            putGroup(after);
            return group(after);
        });
    }

    private StoredGroup requireGroup(String name) {
        StoredGroup group = groupsByName.get(name);
        if (group == null) {
            throw new NotFoundException("no group '" + name + "'");
        }
        return group;
    }

    private Group group(StoredGroup group) {
        return new Group(group.name(), group.description(), group.members().stream()
                .map(id -> principals.get(id).name()).sorted().toList());
    }

    private void putGroup(StoredGroup group) {
        groups.put(group.id(), group);
        groupsByName.put(group.name(), group);
    }

    // --- roles ---

    public List<Role> roles() {
        return read(() -> {
            List<Role> all = new ArrayList<>();
            BUILT_IN_ROLES.keySet().stream().sorted(Comparator.comparing(BUILT_IN_ROLES::get))
                    .forEach(name -> all.add(describe(name)));
            roles.keySet().forEach(name -> all.add(describe(name)));
            return all;
        });
    }

    public Role role(String name) {
        return read(() -> {
            requireRole(name);
            return describe(name);
        });
    }

    /** Creates a role, or replaces the permissions of one. */
    public Role saveRole(String name, String description, Set<String> rolePermissions, boolean create, Source actor) {
        checkName("role", name);
        if (BUILT_IN_ROLES.containsKey(name)) {
            throw new ConflictException("'" + name + "' is a built-in role and cannot be changed");
        }
        if (rolePermissions == null || rolePermissions.isEmpty()) {
            throw new InvalidRequestException("a role needs at least one permission");
        }
        Set<String> known = new HashSet<>();
        permissions().forEach(p -> known.add(p.name()));
        for (String permission : rolePermissions) {
            if (!known.contains(Permission.checkName(permission))) {
                throw new NotFoundException("no permission '" + permission + "'; see security:permissions");
            }
        }
        return write(() -> {
            StoredRole before = roles.get(name);
            if (create && before != null) {
                throw new ConflictException("role '" + name + "' already exists");
            }
            if (!create && before == null) {
                throw new NotFoundException("no role '" + name + "'");
            }
            StoredRole after = new StoredRole(name, description == null ? "" : description, rolePermissions);
            store.saveRole(after, audit(actor, create ? "role.create" : "role.update", "role/" + name,
                    before == null ? null : describe(name), after));
            roles.put(name, after);
            return describe(name);
        });
    }

    public void removeRole(String name, Source actor) {
        if (BUILT_IN_ROLES.containsKey(name)) {
            throw new ConflictException("'" + name + "' is a built-in role and cannot be removed");
        }
        write(() -> {
            requireRole(name);
            store.deleteRole(name, audit(actor, "role.delete", "role/" + name, describe(name), null));
            roles.remove(name);
            bindings.values().removeIf(b -> b.role().equals(name));
            return null;
        });
    }

    private void requireRole(String name) {
        if (!BUILT_IN_ROLES.containsKey(name) && !roles.containsKey(name)) {
            throw new NotFoundException("no role '" + name + "'");
        }
    }

    private Role describe(String name) {
        StoredRole stored = roles.get(name);
        return new Role(name, stored == null ? "built in" : stored.description(), stored == null,
                List.copyOf(permissionsOf(name)));
    }

    // --- bindings ---

    public List<Binding> bindings() {
        return read(() -> bindings.values().stream().map(this::binding).toList());
    }

    /**
     * Grants a role to a user or a group, on the whole instance ({@code system} null) or on one
     * system and, with {@code includeMembers}, everything it aggregates.
     */
    public Binding bind(String role, String user, String group, String system, boolean includeMembers,
            Source actor) {
        if ((user == null) == (group == null)) {
            throw new InvalidRequestException("a binding names either a user or a group");
        }
        UUID systemId = system == null ? null : systems.get(system).id();
        return write(() -> {
            requireRole(role);
            UUID principal = user == null ? null : require(user).id();
            UUID groupId = group == null ? null : requireGroup(group).id();
            boolean exists = bindings.values().stream().anyMatch(b -> b.role().equals(role)
                    && Objects.equals(b.principal(), principal) && Objects.equals(b.group(), groupId)
                    && Objects.equals(b.system(), systemId) && b.includeMembers() == includeMembers);
            if (exists) {
                throw new ConflictException("that binding already exists");
            }
            StoredBinding binding = new StoredBinding(UUID.randomUUID(), role, principal, groupId, systemId,
                    includeMembers, now());
            store.insertBinding(binding, audit(actor, "binding.create", "binding/" + binding.id(), null,
                    binding(binding)));
            bindings.put(binding.id(), binding);
            return binding(binding);
        });
    }

    public void unbind(UUID id, Source actor) {
        write(() -> {
            StoredBinding binding = bindings.get(id);
            if (binding == null) {
                throw new NotFoundException("no binding " + id);
            }
            store.deleteBinding(id, audit(actor, "binding.delete", "binding/" + id, binding(binding), null));
            bindings.remove(id);
            return null;
        });
    }

    /** Forgets the bindings on a system that was deleted; the database dropped them with it. */
    @Override
    public void event(SystemEvent event) {
        if (event.type() == SystemEvent.Type.REMOVED) {
            UUID system = event.subject().id();
            write(() -> bindings.values().removeIf(b -> system.equals(b.system())));
        }
    }

    private Binding binding(StoredBinding binding) {
        return new Binding(binding.id(), binding.role(),
                binding.principal() == null ? null : principals.get(binding.principal()).name(),
                binding.group() == null ? null : groups.get(binding.group()).name(),
                binding.system() == null ? null : slug(binding.system()), binding.includeMembers(),
                binding.created());
    }

    private String slug(UUID system) {
        return systems.find(system).map(ManagedSystem::slug).orElse(system.toString());
    }

    // --- tokens ---

    /** Returns the tokens of one user, or of everyone when {@code user} is null, newest first. */
    public List<Token> tokens(String user) {
        return read(() -> {
            UUID owner = user == null ? null : require(user).id();
            return tokens.values().stream().filter(t -> owner == null || t.principal().equals(owner))
                    .sorted(Comparator.comparing(StoredToken::created).reversed()).map(this::token).toList();
        });
    }

    public Token token(UUID id) {
        return read(() -> {
            StoredToken token = tokens.get(id);
            if (token == null) {
                throw new NotFoundException("no token " + id);
            }
            return token(token);
        });
    }

    /**
     * Creates a token for a user, limited to some of the roles the user holds and to some systems,
     * expiring after {@code lifetime} (the configured default if null).
     */
    public IssuedToken createToken(String user, String name, Set<String> tokenRoles, Set<String> tokenSystems,
            Duration lifetime, Source actor) {
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
        String secret = Tokens.generate();
        return write(() -> {
            StoredPrincipal owner = require(user);
            if (tokenRoles != null) {
                Set<String> held = new HashSet<>();
                bindingsOf(owner).forEach(b -> held.add(b.role()));
                for (String role : tokenRoles) {
                    requireRole(role);
                    if (!held.contains(role)) {
                        throw new InvalidRequestException("'" + user + "' holds no binding of role '" + role
                                + "', so a token cannot carry it");
                    }
                }
            }
            if (tokens.values().stream().anyMatch(t -> t.principal().equals(owner.id()) && t.name().equals(name))) {
                throw new ConflictException("'" + user + "' already has a token named '" + name + "'");
            }
            Instant created = now();
            StoredToken token = new StoredToken(UUID.randomUUID(), name, owner.id(), Tokens.hash(secret), tokenRoles,
                    systemIds, created.plus(life), created, null);
            store.insertToken(token, audit(actor, "token.create", "user/" + user + "/tokens/" + token.id(), null,
                    token(token)));
            putToken(token);
            return new IssuedToken(token(token), secret);
        });
    }

    /** Revokes a token; it stops working at once. Revoking a revoked token changes nothing. */
    public Token revokeToken(UUID id, Source actor) {
        return write(() -> {
            StoredToken before = tokens.get(id);
            if (before == null) {
                throw new NotFoundException("no token " + id);
            }
            if (before.revoked() != null) {
                return token(before);
            }
            Instant at = now();
            StoredToken after = new StoredToken(before.id(), before.name(), before.principal(), before.secretHash(),
                    before.roles(), before.systems(), before.expires(), before.created(), at);
            store.revokeToken(id, at, audit(actor, "token.revoke", "user/" + principals.get(before.principal()).name()
                    + "/tokens/" + id, token(before), token(after)));
            putToken(after);
            return token(after);
        });
    }

    /** Returns the name of the user a token belongs to. */
    public String tokenOwner(UUID id) {
        return token(id).user();
    }

    private Token token(StoredToken token) {
        return new Token(token.id(), token.name(), principals.get(token.principal()).name(),
                token.roles() == null ? null : token.roles().stream().sorted().toList(),
                token.systems() == null ? null : token.systems().stream().map(this::slug).sorted().toList(),
                token.expires(), token.created(), token.revoked());
    }

    private void putToken(StoredToken token) {
        tokens.put(token.id(), token);
        tokensByHash.put(token.secretHash(), token);
    }

    // --- first start ---

    @Activate
    void start() {
        firstStart(System.getenv(ADMIN_PASSWORD_VARIABLE));
    }

    /**
     * Creates the first admin if there is no user: with the password from the environment, or with a
     * one-time password written to a file only this account can read. The password is never logged.
     */
    void firstStart(String fromEnvironment) {
        boolean given = fromEnvironment != null && !fromEnvironment.isEmpty();
        char[] generated = createFirstAdmin(given ? fromEnvironment.toCharArray() : null);
        if (generated != null) {
            OneTimePassword.write(oneTimePasswordFile, generated);
            Arrays.fill(generated, '\0');
            LOG.info("First start: created user admin; its one-time password is in {} (readable by this account"
                    + " only). Log in to the shell as admin and set a new one with security:password",
                    oneTimePasswordFile);
        } else if (given && read(() -> principals.size() == 1 && principalsByName.containsKey(ADMIN))) {
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
        if (read(() -> !principals.isEmpty())) {
            return null;
        }
        if (password != null) {
            Passwords.checkStrength(ADMIN, password);
        }
        char[] chosen = password == null ? Passwords.generate() : password;
        String hash = Passwords.hash(chosen);
        return write(() -> {
            if (!principals.isEmpty()) {
                return null;
            }
            StoredPrincipal admin = new StoredPrincipal(UUID.randomUUID(), ADMIN, false, "Administrator", hash,
                    password == null, false, now());
            StoredBinding binding = new StoredBinding(UUID.randomUUID(), ADMIN, admin.id(), null, null, true, now());
            // One transaction: an admin without its binding could never be repaired by a later first start.
            store.insertPrincipal(admin, List.of(binding), audit(KERNEL, "user.create", "user/" + ADMIN, null,
                    Map.of("user", user(admin), "role", ADMIN, "on", "the whole instance")));
            putPrincipal(admin);
            bindings.put(binding.id(), binding);
            return password == null ? chosen : null;
        });
    }

    // --- helpers ---

    private static void checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("a " + what + " name is 1 to 64 lower-case letters, digits, '.', '_'"
                    + " or '-', starting with a letter, not " + (name == null ? "nothing" : "'" + name + "'"));
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static AuditEntry audit(Source actor, String action, String target, Object before, Object after) {
        return new AuditEntry(actor, action, target, json(before), json(after));
    }

    private static String json(Object value) {
        try {
            return value == null ? null : JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot summarise " + value, e);
        }
    }

    private <T> T read(Supplier<T> reading) {
        lock.readLock().lock();
        try {
            return reading.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> writing) {
        lock.writeLock().lock();
        try {
            return writing.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
