package io.hanse.kernel.security.internal;

import static io.hanse.kernel.security.internal.PermissionRegistry.ADMIN;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.security.Refusals;
import io.hanse.kernel.security.SignedRequest;
import io.hanse.kernel.security.internal.GrantedCaller.Reach;
import io.hanse.kernel.security.internal.GrantedCaller.Root;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.StoredKey;
import io.hanse.kernel.store.StoredPrincipal;
import io.hanse.kernel.store.StoredToken;
import java.nio.charset.StandardCharsets;
import java.security.AccessController;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a caller is and what it may do: checks API tokens, passwords (HTTP Basic and the shell) and
 * SSH keys, slowing down whoever guesses, and turns a principal's role bindings, narrowed by its
 * token, into a {@link GrantedCaller} that stops holding once the principal or the token does.
 */
final class Authentication {

    /** Karaf's role that lets a shell login in at all ({@code sshRole} in {@code etc/org.apache.karaf.shell.cfg}). */
    private static final String KARAF_SSH_ROLE = "ssh";
    /**
     * Karaf's roles for its administrators, as its default {@code admingroup} holds them: its command
     * ACLs give some commands to {@code manager} alone (such as {@code bundle:stop} and {@code bundle:uninstall})
     * and others to {@code admin} alone.
     */
    private static final List<String> KARAF_ADMIN_ROLES = List.of(ADMIN, "manager", "viewer", "systembundles");
    private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
    private static final String NOT_VALID = "the credentials are not valid";
    private static final int MAX_AGENT_KEYS = 100_000;
    /** The throttle's key of an address's refused signed requests, apart from its logins ({@code address }). */
    private static final String SIGNED_REQUESTS = "signed-requests ";
    /** Hashed when a user does not exist, so that a wrong name takes as long as a wrong password. */
    private static final String DUMMY_HASH = Passwords.hash("not-a-password-0123".toCharArray());
    /** How long a password check waits for its turn among the {@code concurrentPasswordChecks}. */
    private static final Duration PASSWORD_CHECK_WAIT = Duration.ofSeconds(2);
    /** How much of a name that is no user's is logged or audited. */
    private static final int MAX_SHOWN_NAME = 64;

    private final SecurityState state;
    private final PermissionRegistry permissions;
    private final SystemScopes systems;
    /** Agents' keys as read, by the line stored; bounded so that removed keys do not pile up. */
    private final Map<String, Ed25519Key> agentKeys = new ConcurrentHashMap<>();
    private final Clock clock;
    private final LoginThrottle throttle;
    final PasswordChecks passwordChecks;
    private final boolean basicAuth;
    private final RequestSignatures signatures;
    private final Consumer<AuditEntry> audit;
    /** Refused signed requests. */
    private final Refusals refusals;
    /** Refused SSH keys, apart from signed requests, so that neither uses up the other's entries a minute. */
    private final Refusals keyRefusals;
    /** Refused API tokens that were issued: revoked, expired, or their owner's disabled. */
    private final Refusals tokenRefusals;

    Authentication(SecurityState state, PermissionRegistry permissions, SystemScopes systems, SecurityConfig config,
            Clock clock, Consumer<AuditEntry> audit) {
        this.state = state;
        this.audit = audit;
        this.permissions = permissions;
        this.systems = systems;
        this.clock = clock;
        this.throttle = new LoginThrottle(config.freeFailures(), Duration.ofSeconds(config.maxLockoutSeconds()),
                clock, this::lockedOut);
        this.passwordChecks = new PasswordChecks(config.concurrentPasswordChecks(), PASSWORD_CHECK_WAIT);
        this.basicAuth = config.basicAuth();
        this.signatures = new RequestSignatures(clock.instant(), RequestSignatures.MAX_NONCES,
                RequestSignatures.MAX_NONCES_PER_KEY);
        this.refusals = new Refusals(clock);
        this.keyRefusals = new Refusals(clock);
        this.tokenRefusals = new Refusals(clock);
    }

    /** @see io.hanse.kernel.security.Authenticator#authenticate */
    Caller authenticate(String authorization, String address) {
        if (authorization == null) {
            return Caller.anonymous();
        }
        String addressKey = "address " + address;
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // A valid token is accepted even from an address locked out by others' guessing (behind
            // one NAT, say): no one guesses 256 random bits, so only wrong tokens are slowed down.
            String secret = authorization.substring(7).strip();
            StoredToken token = state.read(() -> state.tokenByHash(Tokens.hash(secret)));
            if (token == null) {
                LoginThrottle.Attempt attempt = throttle.attempt(addressKey);
                LOG.warn("Refused an unknown API token from {}", printable(address));
                attempt.failed();
                throw new UnauthenticatedException(NOT_VALID);
            }
            Caller caller = state.read(() -> {
                StoredPrincipal owner = state.principals().get(token.principal());
                boolean valid = owner != null && !owner.disabled() && usable(token);
                return valid ? callerOf(owner, token) : null;
            });
            if (caller == null) {
                // A token once issued, such as one a forgotten script still sends, is no guess: refused, but not
                // counted against its address, which would lock out logins from there. Logged once a minute.
                OptionalLong suppressed = tokenRefusals.count("token/" + token.id());
                if (suppressed.isPresent()) {
                    LOG.warn("Refused API token {} from {}: it is revoked or expired, or its owner is disabled{}",
                            token.id(), printable(address), Refusals.suppressed(suppressed.getAsLong()));
                }
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

    /** The key of a stored line, read once: reading decodes a curve point. */
    private Ed25519Key agentKey(String line) {
        if (agentKeys.size() > MAX_AGENT_KEYS) {
            agentKeys.clear();
        }
        return agentKeys.computeIfAbsent(line, stored -> Ed25519Key.parse(stored));
    }

    /**
     * Checks a request an agent signed: only service principals sign requests. A valid one is not
     * slowed down by others' failures from its address; each refusal is audited, and failures from
     * one address are throttled like wrong tokens, apart from them, but for requests whose signature
     * held (a disabled agent's).
     *
     * @see io.hanse.kernel.security.Authenticator#authenticate(SignedRequest)
     */
    Caller authenticate(SignedRequest request) {
        String fingerprint = "unknown";
        String known = null;
        try {
            RequestSignatures.Parts parts = RequestSignatures.parse(request.authorization());
            fingerprint = parts.key();
            StoredKey key = state.read(() -> state.key(parts.key()));
            StoredPrincipal owner = key == null ? null : state.read(() -> state.principals().get(key.principal()));
            if (owner == null || !owner.service()) {
                throw new RequestSignatures.Refused("no agent has this key");
            }
            known = fingerprint;
            // The signature first: a disabled agent that goes on sending is refused, but, signing with its
            // own key, it guesses nothing and is not counted as a failure from its address.
            signatures.verify(parts, agentKey(key.publicKey()), request, clock.instant());
            if (owner.disabled()) {
                throw new RequestSignatures.Refused("agent " + owner.name() + " is disabled", null, true);
            }
            return state.read(() -> callerOf(owner, null));
        } catch (RequestSignatures.Refused e) {
            // A request whose signature held is no guess at a key, such as one the agent is told how to mend
            // (sign again after a restart) or a disabled agent's: behind a proxy that all agents share,
            // counting it would slow them all down. The others count apart from logins and API tokens from
            // the address, so that an agent revoked or with its clock off cannot lock out a password login.
            if (!e.signed()) {
                throttle.attempt(SIGNED_REQUESTS + request.address()).failed();
            }
            // Written once a minute per agent, or per address for keys no agent has, at most: else anyone
            // could fill the log and the audit log.
            OptionalLong suppressed = refusals.count(known != null ? "agent-key/" + known
                    : "address/" + Refusals.network(request.address()));
            if (suppressed.isPresent()) {
                LOG.warn("Refused a signed {} {} from {}: {}{}", request.method(), request.target(),
                        request.address(), e.getMessage(), Refusals.suppressed(suppressed.getAsLong()));
                audit.accept(AuditEntries.audit(new Source(Source.Kind.AGENT, fingerprint), "agent.request-refused",
                        "agent-key/" + fingerprint, null, Map.of("reason", e.getMessage(), "address",
                                request.address(), "request", request.method() + " " + request.target(),
                                "suppressed", suppressed.getAsLong())));
            }
            throw new UnauthenticatedException(e.told() == null ? NOT_VALID : e.told());
        }
    }

    /**
     * Runs a check of a credential that needs no login, such as redeeming an enrollment token,
     * throttled as wrong tokens are, by a key of its own (such as the address it comes from): its
     * refusals count, and a locked-out key is refused before any work is done.
     *
     * @throws io.hanse.api.TooManyRequestsException if the key is locked out
     */
    <T> T throttled(String key, Supplier<T> check) {
        try (LoginThrottle.Attempt attempt = throttle.attempt(key)) {
            try {
                return check.get();
            } catch (UnauthenticatedException refused) {
                LOG.warn("Refused ({}): {}", printable(key), refused.getMessage());
                attempt.failed();
                throw refused;
            }
        }
    }

    /**
     * Checks a user's current password before it is changed, throttled by user as a login is: else
     * whoever holds one of the user's tokens could guess the password through changing it.
     *
     * @throws InvalidRequestException if it is wrong
     * @throws io.hanse.api.TooManyRequestsException if the user is locked out
     * @throws io.hanse.api.UnavailableException if too many passwords are being checked or set at once
     */
    void checkCurrentPassword(StoredPrincipal principal, char[] current) {
        String userKey = "user " + principal.name();
        try (LoginThrottle.Attempt attempt = throttle.attempt(userKey)) {
            if (principal.passwordHash() == null || !verify(current, principal.passwordHash())) {
                LOG.warn("Refused to change the password of user {}: the current password given is wrong",
                        principal.name());
                attempt.failed();
                throw new InvalidRequestException("the current password is wrong");
            }
            throttle.succeeded(userKey);
        }
    }

    /**
     * Checks a user's password: for the shell's JAAS realm and for HTTP Basic.
     *
     * @throws UnauthenticatedException if the user does not exist, is disabled or the password is wrong
     * @throws io.hanse.api.TooManyRequestsException if the user or the address is locked out
     * @throws io.hanse.api.UnavailableException if too many passwords are being checked or set at once
     */
    Caller login(String name, char[] password, String address) {
        // Names no user can have share one key: else each would take a place among the keys tracked.
        String userKey = "user " + (SecurityManager.isName(name) ? name : "(not a user name)");
        try (LoginThrottle.Attempt attempt = throttle.attempt(userKey, "address " + address)) {
            StoredPrincipal principal = state.read(() -> state.principals().get(name));
            String hash = principal == null ? null : principal.passwordHash();
            boolean valid = verify(password, hash == null ? DUMMY_HASH : hash) && hash != null;
            // The check may have waited for its turn: the user is taken as it is now, still with that password.
            Caller caller = valid ? state.read(() -> {
                StoredPrincipal now = state.principals().get(name);
                return now != null && !now.disabled() && hash.equals(now.passwordHash()) ? callerOf(now, null) : null;
            }) : null;
            String refused = principal == null ? "no such user" : hash == null ? "the user has no password"
                    : !valid ? "wrong password"
                    : caller == null ? "the user is disabled, removed or has another password" : null;
            if (refused != null) {
                LOG.warn("Failed login as '{}' from {}: {}", printable(name), printable(address), refused);
                attempt.failed();
                throw new UnauthenticatedException(NOT_VALID);
            }
            throttle.succeeded(userKey);
            if (principal.oneTimePassword()) {
                LOG.warn("User {} logged in with its one-time password; set a new one with security:password",
                        principal.name());
            }
            return caller;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Checks a password against a hash, in its turn among the other password checks and hashes. */
    private boolean verify(char[] password, String hash) {
        return passwordChecks.run(() -> Passwords.verify(password, hash));
    }

    /**
     * Hashes a password to be set, in its turn among the password checks and hashes.
     *
     * @throws io.hanse.api.UnavailableException if too many passwords are being checked or set at once
     */
    String hash(char[] password) {
        return passwordChecks.run(() -> Passwords.hash(password));
    }

    /**
     * Logs and audits a lockout that began; not each failure, nor each time it is lengthened, so that
     * guessing cannot flood the audit log, which writes its entries one at a time. One going on is
     * logged only, at most once a minute, with how many attempts it refused since it was last told:
     * else a user whose right password is refused would find no trace of why.
     */
    private void lockedOut(LoginThrottle.Lockout lockout) {
        int space = lockout.key().indexOf(' ');
        String target = lockout.key().substring(0, space) + "/" + printable(lockout.key().substring(space + 1));
        if (!lockout.begun()) {
            LOG.warn("{} is still locked out, for {} s more, after {} failed logins; {} attempts refused while"
                    + " locked out since last said; its failures are forgotten an hour after the last",
                    target, Math.max(1, (lockout.lasts().toMillis() + 999) / 1000), lockout.failures(),
                    lockout.refused());
            return;
        }
        LOG.warn("Locked out {} for {} s after {} failed logins", target, lockout.lasts().toSeconds(),
                lockout.failures());
        auditQuietly(AuditEntries.audit(Source.KERNEL, "login.lockout", target, null,
                new LockedOut(lockout.failures(), lockout.lasts().toSeconds())));
    }

    /**
     * Writes an audit entry about a login or its refusal. A failure to write it is logged: the refusal
     * a guess gets, or the login, must not turn into another failure here.
     */
    private void auditQuietly(AuditEntry entry) {
        try {
            audit.accept(entry);
        } catch (RuntimeException e) {
            LOG.warn("Could not audit {} of {}: {}", entry.action(), entry.target(), e.toString());
        }
    }

    /** A lockout as audited. */
    private record LockedOut(int failures, long lockedSeconds) {
    }

    /**
     * A name or an address as a caller gave it, fit for the log and the audit log: control characters
     * replaced, so that it cannot forge lines, and cut short.
     */
    private static String printable(String given) {
        String shown = given.length() > MAX_SHOWN_NAME ? given.substring(0, MAX_SHOWN_NAME) + "…" : given;
        return shown.codePoints().map(c -> Character.isISOControl(c) || !Character.isDefined(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /**
     * Checks an SSH key login. Key logins are not throttled, either way: nobody guesses a private
     * key, an SSH agent offers each of its keys in turn (which must not lock its user out), and a
     * user locked out by someone guessing the password still gets in with the key. So refusals are
     * logged and audited ({@code login.key-refused}) at most once a minute per address, with the key's
     * fingerprint, never the key: anyone may offer keys as often as they like.
     *
     * <p>A key that is accepted is no login yet: the server checks it before the client shows that
     * it holds the private half, and a client may only ask whether a key would do. The login is
     * told, once its session is authenticated, to {@link #loggedIn}.
     *
     * @throws UnauthenticatedException if the key is not one of the user's, or the user is disabled
     */
    Caller login(String name, PublicKey key, String address) {
        String fingerprint = SshKeys.fingerprint(key);
        StoredPrincipal owner = state.read(() -> {
            StoredKey stored = state.key(fingerprint);
            return stored == null ? null : state.principals().get(stored.principal());
        });
        String refused = owner == null ? "no user has this key" : !owner.name().equals(name)
                ? "the key is another user's" : owner.disabled() ? "the user is disabled" : null;
        if (refused != null) {
            OptionalLong suppressed = keyRefusals.count("address/" + Refusals.network(address));
            if (suppressed.isPresent()) {
                LOG.warn("Refused an SSH key login as '{}' from {} with key {}: {}{}", printable(name),
                        printable(address), fingerprint, refused, Refusals.suppressed(suppressed.getAsLong()));
                auditQuietly(AuditEntries.audit(Source.KERNEL, "login.key-refused", "user/" + printable(name), null,
                        new KeyRefused(printable(address), fingerprint, refused, suppressed.getAsLong())));
            }
            throw new UnauthenticatedException(NOT_VALID);
        }
        return state.read(() -> callerOf(owner, null));
    }

    /**
     * Logs and audits an SSH login ({@code login.ssh}), by password or key, once its session is
     * authenticated: a successful login needs a credential, so it cannot be flooded as refusals can.
     */
    void loggedIn(HanseLogin login) {
        LOG.info("{} logged in over SSH from {} with {}", login.name(), login.address(), login.credential());
        StoredPrincipal principal = state.read(() -> state.principals().get(login.id()));
        Source.Kind kind = principal != null && principal.service() ? Source.Kind.AGENT : Source.Kind.USER;
        auditQuietly(AuditEntries.audit(new Source(kind, login.name()), "login.ssh", "user/" + login.name(), null,
                new SshLogin(login.address(), login.credential())));
    }

    /** A refused SSH key as audited: by its fingerprint, never the key. */
    private record KeyRefused(String address, String key, String reason, long suppressed) {
    }

    /** An SSH login as audited. */
    private record SshLogin(String address, String with) {
    }

    /**
     * Returns the Karaf roles a shell login carries: {@code ssh} to log in at all, {@code admin} for
     * Karaf's own commands; none once the principal is gone or disabled.
     */
    Set<String> karafRoles(UUID principalId) {
        return state.read(() -> {
            StoredPrincipal principal = state.principals().get(principalId);
            Set<String> karafRoles = new TreeSet<>();
            if (principal == null || principal.disabled()) {
                return karafRoles;
            }
            GrantedCaller caller = callerOf(principal, null);
            if (!caller.scope(KernelPermissions.SHELL_LOGIN).isEmpty()) {
                karafRoles.add(KARAF_SSH_ROLE);
            }
            if (state.bindingsOf(principal).anyMatch(b -> b.role().equals(ADMIN) && b.system() == null)) {
                karafRoles.addAll(KARAF_ADMIN_ROLES);
            }
            return karafRoles;
        });
    }

    /** @see io.hanse.api.security.SecurityService#shellCaller */
    Caller shellCaller() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject == null) {
            return Caller.anonymous();
        }
        for (HanseLogin login : subject.getPrincipals(HanseLogin.class)) {
            return state.read(() -> {
                StoredPrincipal principal = state.principals().get(login.id());
                return principal == null || principal.disabled() ? Caller.anonymous() : callerOf(principal, null);
            });
        }
        // Not logged in through Hanse's realm: the local console, whose roles Karaf sets itself.
        boolean admin = subject.getPrincipals(RolePrincipal.class).stream().anyMatch(r -> r.getName().equals(ADMIN));
        String name = subject.getPrincipals(UserPrincipal.class).stream().map(UserPrincipal::getName).findFirst()
                .orElse("console");
        if (!admin) {
            return Caller.anonymous();
        }
        Map<String, Reach> everything = new HashMap<>();
        permissions.permissions().forEach(p -> everything.put(p.name(), new Reach(true, List.of())));
        return new GrantedCaller(new Source(Source.Kind.USER, name), null, () -> true, everything, null, systems);
    }

    /** What a principal may do, narrowed by a token; under the read lock. */
    private GrantedCaller callerOf(StoredPrincipal principal, StoredToken token) {
        Map<String, Reach> reach = reachOf(principal, token);
        List<Root> limit = token == null || token.systems() == null ? null
                : token.systems().stream().map(system -> new Root(system, true)).toList();
        Source.Kind kind = principal.service() ? Source.Kind.AGENT : Source.Kind.USER;
        return new GrantedCaller(new Source(kind, principal.name()), token, new Validity(principal, token, reach),
                reach, limit, systems);
    }

    /**
     * Where a principal holds each permission through its bindings, narrowed to a token's roles; under the read lock.
     */
    private Map<String, Reach> reachOf(StoredPrincipal principal, StoredToken token) {
        Map<String, Boolean> everywhere = new HashMap<>();
        Map<String, List<Root>> roots = new HashMap<>();
        state.bindingsOf(principal)
                .filter(binding -> token == null || token.roles() == null || token.roles().contains(binding.role()))
                .forEach(binding -> {
                    for (String permission : permissions.permissionsOf(binding.role(), state.role(binding.role()))) {
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
        return reach;
    }

    /**
     * Whether a caller's principal still exists and is enabled, its token (if any) is neither revoked
     * nor expired, and the principal's bindings still give what they gave: a caller whose rights
     * changed is not the caller it was, so that work outliving its request (a live stream, which asks
     * before each event) ends rather than go on with rights it no longer has. The bindings are gone
     * through again only after the state was written to.
     */
    private final class Validity implements BooleanSupplier {

        private final StoredPrincipal principal;
        private final StoredToken token;
        private final Map<String, Reach> reach;
        // Both guarded by this.
        private long checkedAt = -1;
        private boolean rightsHold;

        Validity(StoredPrincipal principal, StoredToken token, Map<String, Reach> reach) {
            this.principal = principal;
            this.token = token;
            this.reach = reach;
        }

        @Override
        public synchronized boolean getAsBoolean() {
            return state.read(() -> {
                if (checkedAt != state.version()) {
                    StoredPrincipal current = state.principals().get(principal.id());
                    StoredToken held = token == null ? null : state.token(token.id());
                    rightsHold = current != null && !current.disabled() && (token == null || held != null)
                            && reachOf(current, held).equals(reach);
                    checkedAt = state.version();
                }
                return rightsHold && (token == null || usable(state.token(token.id())));
            });
        }
    }

    private boolean usable(StoredToken token) {
        return token.revoked() == null && (token.expires() == null || clock.instant().isBefore(token.expires()));
    }
}
