package io.hanse.kernel.security.internal;

import static io.hanse.kernel.security.internal.AuditEntries.audit;

import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.security.AgentIdentities;
import io.hanse.kernel.security.AgentIdentities.Enrollment;
import io.hanse.kernel.security.AgentIdentities.Identity;
import io.hanse.kernel.security.AgentIdentities.IssuedEnrollment;
import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.store.SecurityStore;
import io.hanse.kernel.store.SecurityStore.Redemption;
import io.hanse.kernel.store.StoredBinding;
import io.hanse.kernel.store.StoredEnrollment;
import io.hanse.kernel.store.StoredKey;
import io.hanse.kernel.store.StoredPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Enrollment of agents: one-time tokens bound to an agent name and systems, redeemed once with the
 * agent's own public key into a service principal holding the role {@code agent} on those systems.
 */
final class AgentEnrollments {

    /** At most this many systems per token: an agent speaks about its host and a few services on it. */
    static final int MAX_SYSTEMS = 100;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    /** Names the REST API's paths under {@code /agents} use, which no agent can have. */
    private static final Set<String> RESERVED = Set.of("self", "enroll", "enrollments", "desires", "work");
    private static final String REFUSED = "the enrollment token is not valid: unknown, expired or already used";

    private final SecurityState state;
    private final SecurityStore store;
    private final SystemService systems;
    private final Clock clock;

    AgentEnrollments(SecurityState state, SecurityStore store, SystemService systems, Clock clock) {
        this.state = state;
        this.store = store;
        this.systems = systems;
        this.clock = clock;
    }

    IssuedEnrollment create(Caller caller, String agent, List<String> slugs, Duration validFor) {
        if (agent == null || !NAME.matcher(agent).matches()) {
            throw new InvalidRequestException("an agent name is 1 to 64 lower-case letters, digits, '.', '_' or '-',"
                    + " starting with a letter, not " + (agent == null ? "nothing" : Messages.quote(agent)));
        }
        if (RESERVED.contains(agent)) {
            throw new InvalidRequestException("'" + agent + "' is reserved; the agent needs another name");
        }
        if (slugs == null || slugs.isEmpty() || slugs.size() > MAX_SYSTEMS) {
            throw new InvalidRequestException("an enrollment token names 1 to " + MAX_SYSTEMS
                    + " systems the agent may report on");
        }
        if (validFor == null || validFor.compareTo(Duration.ofMinutes(1)) < 0
                || validFor.compareTo(AgentIdentities.MAX_VALIDITY) > 0) {
            throw new InvalidRequestException("an enrollment token is valid for 1 minute to "
                    + AgentIdentities.MAX_VALIDITY.toDays() + " days");
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (String slug : slugs) {
            caller.require(KernelPermissions.AGENTS_ENROLL, slug);
            ids.add(systems.get(slug).id());
        }
        StoredPrincipal existing = state.read(() -> state.principals().get(agent));
        if (existing != null && !existing.service()) {
            throw new ConflictException("'" + agent + "' is a user, not an agent");
        }
        if (existing != null) {
            // Enrolling it again replaces its key and systems: as revoking it does, that takes managing it.
            // Names are unique, so that one exists shows; where it reports does not.
            state.read(() -> {
                if (!visible(caller, existing)) {
                    throw new ConflictException("'" + agent + "' is the name of an agent you may not see");
                }
                requireOnlyAnAgent(existing);
                return requireManage(caller, existing);
            });
        }
        String secret = Tokens.generate(Tokens.ENROLLMENT_PREFIX);
        Instant now = now();
        StoredEnrollment enrollment = new StoredEnrollment(UUID.randomUUID(), Tokens.hash(secret), agent, ids,
                caller.source().name(), now, now.plus(validFor), null);
        Enrollment shown = enrollment(enrollment);
        store.insertEnrollment(enrollment, audit(caller.source(), "agent.enrollment-create",
                "agent/" + agent + "/enrollments/" + enrollment.id(), null, shown));
        return new IssuedEnrollment(shown, secret);
    }

    /** The enrollments on systems where the caller may read agents, with only those systems. */
    List<Enrollment> list(Caller caller) {
        return store.enrollments().stream().map(stored -> enrollment(stored).seenBy(caller))
                .filter(enrollment -> !enrollment.systems().isEmpty()).toList();
    }

    Identity enroll(String token, String publicKey, String address) {
        Ed25519Key key = Ed25519Key.parse(publicKey);
        if (token == null || !token.startsWith(Tokens.ENROLLMENT_PREFIX)) {
            throw new UnauthenticatedException(REFUSED);
        }
        Instant now = now();
        return state.write(() -> {
            Redemption redeemed = store.redeemEnrollment(Tokens.hash(token), now,
                    enrollment -> redemption(enrollment, key, address, now))
                    .orElseThrow(() -> new UnauthenticatedException(REFUSED));
            StoredPrincipal principal = redeemed.principal();
            // Its own bindings, as the store deleted them; not those of groups (there are none: see
            // requireOnlyAnAgent).
            state.bindingsOf(principal).filter(b -> principal.id().equals(b.principal())).map(StoredBinding::id)
                    .toList().forEach(state::removeBinding);
            state.keys().stream().filter(k -> k.principal().equals(principal.id())).map(StoredKey::fingerprint)
                    .toList().forEach(state::removeKey);
            state.principals().put(principal);
            redeemed.bindings().forEach(state::putBinding);
            state.putKey(redeemed.key());
            return identity(principal);
        });
    }

    /** What redeeming an enrollment stores; under the write lock, inside the store's transaction. */
    private Redemption redemption(StoredEnrollment enrollment, Ed25519Key key, String address, Instant now) {
        StoredPrincipal existing = state.principals().get(enrollment.agent());
        if (existing != null && !existing.service()) {
            throw new ConflictException("'" + enrollment.agent() + "' is a user, not an agent");
        }
        if (existing != null) {
            requireOnlyAnAgent(existing);
        }
        if (existing != null && enrollment.created().isBefore(existing.created())) {
            // Made while there was no such agent, so nobody checked that its maker may manage the one there is now.
            throw new ConflictException("agent '" + enrollment.agent() + "' was enrolled after this token was"
                    + " made; enrolling it again takes a token made since, by someone who manages it");
        }
        StoredKey owner = state.key(key.fingerprint());
        if (owner != null && (existing == null || !owner.principal().equals(existing.id()))) {
            throw new ConflictException("this key already belongs to another principal; generate a new key");
        }
        StoredPrincipal principal = existing == null
                ? new StoredPrincipal(UUID.randomUUID(), enrollment.agent(), true, "agent", null, false, false, now)
                : new StoredPrincipal(existing.id(), existing.name(), true, existing.displayName(), null, false, false,
                        existing.created());
        List<StoredBinding> bindings = enrollment.systems().stream().filter(id -> systems.find(id).isPresent())
                .map(id -> new StoredBinding(UUID.randomUUID(), PermissionRegistry.AGENT, principal.id(), null, id,
                        false, now))
                .toList();
        if (bindings.isEmpty()) {
            throw new ConflictException("the systems this enrollment token was for no longer exist");
        }
        Source actor = new Source(Source.Kind.AGENT, enrollment.agent());
        return new Redemption(principal, bindings, new StoredKey(principal.id(), key.fingerprint(), key.line(), now),
                audit(actor, existing == null ? "agent.enroll" : "agent.re-enroll", "agent/" + enrollment.agent(),
                        null, Map.of("fingerprint", key.fingerprint(), "enrollment", enrollment.id().toString(),
                                "address", Objects.toString(address))));
    }

    /**
     * Refuses to enroll over a service principal that holds more than an agent does (a role other than
     * agent, or a group): whoever holds the token would act as it, with what an agent manager need not hold.
     */
    private void requireOnlyAnAgent(StoredPrincipal existing) {
        if (!onlyAnAgent(state, existing)) {
            throw new ConflictException("'" + existing.name() + "' holds more than an agent's role, or is in a"
                    + " group: enrolling it would hand that to whoever holds the token; enroll another name, or"
                    + " take away its other bindings and groups first");
        }
    }

    /**
     * Returns whether a principal holds nothing but the role agent (if that), and is in no group.
     * Under the state's lock.
     */
    static boolean onlyAnAgent(SecurityState state, StoredPrincipal principal) {
        return state.groupsOf(principal).findAny().isEmpty()
                && state.bindingsOf(principal).allMatch(b -> b.role().equals(PermissionRegistry.AGENT));
    }

    List<Identity> identities() {
        return state.read(() -> state.principals().all().stream().filter(StoredPrincipal::service)
                .filter(p -> state.bindingsOf(p).anyMatch(b -> b.role().equals(PermissionRegistry.AGENT)))
                .map(this::identity).toList());
    }

    /**
     * The agent of that name, after checking that the caller may manage it. One the caller may not
     * see is not found, as one that does not exist: that its systems are out of reach shows nothing.
     */
    StoredPrincipal manageable(Caller caller, String agent) {
        return state.read(() -> {
            StoredPrincipal principal = state.principals().get(agent);
            if (principal == null || !principal.service() || !visible(caller, principal)) {
                throw new NotFoundException("no agent " + Messages.quote(agent));
            }
            return requireManage(caller, principal);
        });
    }

    /**
     * Whether the caller may read the agent on any of its systems, or everywhere for one whose
     * systems are gone. Under the read lock.
     */
    private boolean visible(Caller caller, StoredPrincipal agent) {
        Identity identity = identity(agent);
        return identity.systems().isEmpty() ? caller.mayEverywhere(KernelPermissions.AGENTS_READ)
                : !identity.seenBy(caller).systems().isEmpty();
    }

    /**
     * Requires managing agents on each of the agent's systems, or everywhere for one whose systems
     * are gone. Under the read lock.
     */
    private StoredPrincipal requireManage(Caller caller, StoredPrincipal agent) {
        Identity identity = identity(agent);
        if (identity.systems().isEmpty()) {
            caller.require(KernelPermissions.AGENTS_MANAGE);
        }
        List<String> seen = identity.seenBy(caller).systems();
        for (String slug : identity.systems()) {
            if (!caller.may(KernelPermissions.AGENTS_MANAGE, slug)) {
                // A system the caller may not see is not named.
                throw new ForbiddenException(seen.contains(slug)
                        ? "missing permission " + KernelPermissions.AGENTS_MANAGE + " on system " + Messages.quote(slug)
                        : "missing permission " + KernelPermissions.AGENTS_MANAGE + " on all of agent "
                                + agent.name() + "'s systems");
            }
        }
        return agent;
    }

    /** Under the read lock. */
    private Identity identity(StoredPrincipal principal) {
        List<String> slugs = state.bindingsOf(principal).filter(b -> b.role().equals(PermissionRegistry.AGENT))
                .map(b -> systems.find(b.system()).map(ManagedSystem::slug).orElse(null)).filter(Objects::nonNull)
                .sorted().toList();
        String fingerprint = state.keys().stream().filter(k -> k.principal().equals(principal.id()))
                .map(StoredKey::fingerprint).findFirst().orElse(null);
        return new Identity(principal.id(), principal.name(), slugs, fingerprint, principal.disabled(),
                principal.created());
    }

    private Enrollment enrollment(StoredEnrollment stored) {
        List<String> slugs = stored.systems().stream().map(id -> systems.find(id).map(ManagedSystem::slug)
                .orElse("(deleted)")).sorted().toList();
        return new Enrollment(stored.id(), stored.agent(), slugs, stored.createdBy(), stored.created(),
                stored.expires(), stored.used());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
