package io.hanse.kernel.security.internal;

import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.SecurityStore;
import io.hanse.kernel.store.StoredBinding;
import io.hanse.kernel.store.StoredEnrollment;
import io.hanse.kernel.store.StoredGroup;
import io.hanse.kernel.store.StoredKey;
import io.hanse.kernel.store.StoredPrincipal;
import io.hanse.kernel.store.StoredRole;
import io.hanse.kernel.store.StoredToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Keeps security data in memory as the JDBC store keeps it in its tables: unique names, foreign
 * keys with their cascades, and one audit entry per change, stored with it or not at all. It can
 * be told to fail the next write, as a database that goes away would.
 */
final class MemorySecurityStore implements SecurityStore {

    final Map<UUID, StoredPrincipal> principals = new LinkedHashMap<>();
    final Map<UUID, StoredGroup> groups = new LinkedHashMap<>();
    final Map<String, StoredRole> roles = new LinkedHashMap<>();
    final Map<UUID, StoredBinding> bindings = new LinkedHashMap<>();
    final Map<UUID, StoredToken> tokens = new LinkedHashMap<>();
    final Map<String, StoredKey> keys = new LinkedHashMap<>();
    final Map<UUID, StoredEnrollment> enrollments = new LinkedHashMap<>();
    /** The audit entries of the writes that succeeded, in order. */
    final List<AuditEntry> audit = new ArrayList<>();
    /** The systems deleted, which a binding can no longer refer to. */
    private final Set<UUID> deletedSystems = new HashSet<>();
    private RuntimeException nextFailure;
    private Runnable beforeNextWrite;

    /** Makes the next write throw this, and store nothing. */
    void failNextWrite(RuntimeException failure) {
        nextFailure = failure;
    }

    /** Runs this just before the next write, as another node changing the database meanwhile would. */
    void beforeNextWrite(Runnable action) {
        beforeNextWrite = action;
    }

    /** Deletes what refers to a system that was deleted, as the binding table's ON DELETE CASCADE does. */
    void systemDeleted(UUID system) {
        deletedSystems.add(system);
        bindings.values().removeIf(binding -> system.equals(binding.system()));
    }

    StoredPrincipal principal(String name) {
        return principals.values().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    @Override
    public Contents loadAll() {
        return new Contents(
                principals.values().stream().sorted(Comparator.comparing(StoredPrincipal::name)).toList(),
                groups.values().stream().sorted(Comparator.comparing(StoredGroup::name)).toList(),
                roles.values().stream().sorted(Comparator.comparing(StoredRole::name)).toList(),
                List.copyOf(bindings.values()), List.copyOf(tokens.values()), List.copyOf(keys.values()));
    }

    @Override
    public void savePrincipal(StoredPrincipal principal, AuditEntry entry) {
        failIfTold();
        unique("hanse_principal_name_uq", principals.values().stream()
                .anyMatch(p -> p.name().equals(principal.name()) && !p.id().equals(principal.id())));
        principals.put(principal.id(), principal);
        audit.add(entry);
    }

    @Override
    public void insertPrincipal(StoredPrincipal principal, List<StoredBinding> newBindings, AuditEntry entry) {
        failIfTold();
        unique("hanse_principal_pk", principals.containsKey(principal.id()));
        unique("hanse_principal_name_uq",
                principals.values().stream().anyMatch(p -> p.name().equals(principal.name())));
        principals.put(principal.id(), principal);
        newBindings.forEach(binding -> bindings.put(binding.id(), binding));
        audit.add(entry);
    }

    @Override
    public void deletePrincipal(UUID id, AuditEntry entry) {
        failIfTold();
        exists("principal " + id, principals.containsKey(id));
        principals.remove(id);
        groups.replaceAll((key, group) -> {
            Set<UUID> members = new HashSet<>(group.members());
            members.remove(id);
            return new StoredGroup(group.id(), group.name(), group.description(), members);
        });
        bindings.values().removeIf(binding -> id.equals(binding.principal()));
        tokens.values().removeIf(token -> id.equals(token.principal()));
        keys.values().removeIf(key -> id.equals(key.principal()));
        audit.add(entry);
    }

    @Override
    public void saveGroup(StoredGroup group, AuditEntry entry) {
        failIfTold();
        unique("hanse_group_name_uq", groups.values().stream()
                .anyMatch(g -> g.name().equals(group.name()) && !g.id().equals(group.id())));
        group.members().forEach(member -> exists("principal " + member, principals.containsKey(member)));
        groups.put(group.id(), group);
        audit.add(entry);
    }

    @Override
    public void deleteGroup(UUID id, AuditEntry entry) {
        failIfTold();
        exists("group " + id, groups.containsKey(id));
        groups.remove(id);
        bindings.values().removeIf(binding -> id.equals(binding.group()));
        audit.add(entry);
    }

    @Override
    public void saveRole(StoredRole role, AuditEntry entry) {
        failIfTold();
        roles.put(role.name(), role);
        audit.add(entry);
    }

    @Override
    public void deleteRole(String name, AuditEntry entry) {
        failIfTold();
        exists("role " + name, roles.containsKey(name));
        bindings.values().removeIf(binding -> binding.role().equals(name));
        roles.remove(name);
        audit.add(entry);
    }

    @Override
    public void insertBinding(StoredBinding binding, AuditEntry entry) {
        failIfTold();
        unique("hanse_role_binding_pk", bindings.containsKey(binding.id()));
        if ((binding.principal() == null) == (binding.group() == null)) {
            throw new IllegalStateException("check constraint hanse_role_binding_subject_ck violated");
        }
        if (binding.principal() != null) {
            exists("principal " + binding.principal(), principals.containsKey(binding.principal()));
        } else {
            exists("group " + binding.group(), groups.containsKey(binding.group()));
        }
        exists("system " + binding.system(), !deletedSystems.contains(binding.system()));
        bindings.put(binding.id(), binding);
        audit.add(entry);
    }

    @Override
    public void deleteBinding(UUID id, AuditEntry entry) {
        failIfTold();
        exists("binding " + id, bindings.containsKey(id));
        bindings.remove(id);
        audit.add(entry);
    }

    @Override
    public void insertToken(StoredToken token, AuditEntry entry) {
        failIfTold();
        unique("hanse_token_pk", tokens.containsKey(token.id()));
        unique("hanse_token_secret_uq", tokens.values().stream()
                .anyMatch(t -> t.secretHash().equals(token.secretHash())));
        unique("hanse_token_name_uq", tokens.values().stream()
                .anyMatch(t -> t.principal().equals(token.principal()) && t.name().equals(token.name())));
        exists("principal " + token.principal(), principals.containsKey(token.principal()));
        tokens.put(token.id(), token);
        audit.add(entry);
    }

    @Override
    public void revokeToken(UUID id, Instant at, AuditEntry entry) {
        failIfTold();
        StoredToken token = tokens.get(id);
        exists("token " + id, token != null);
        tokens.put(id, new StoredToken(token.id(), token.name(), token.principal(), token.secretHash(),
                token.roles(), token.systems(), token.expires(), token.created(), at));
        audit.add(entry);
    }

    @Override
    public void insertKey(StoredKey key, AuditEntry entry) {
        failIfTold();
        unique("hanse_ssh_key_fingerprint_uq", keys.containsKey(key.fingerprint()));
        exists("principal " + key.principal(), principals.containsKey(key.principal()));
        keys.put(key.fingerprint(), key);
        audit.add(entry);
    }

    @Override
    public void deleteKey(UUID principal, String fingerprint, AuditEntry entry) {
        failIfTold();
        StoredKey key = keys.get(fingerprint);
        exists("key " + fingerprint + " of " + principal, key != null && Objects.equals(key.principal(), principal));
        keys.remove(fingerprint);
        audit.add(entry);
    }

    @Override
    public synchronized void insertEnrollment(StoredEnrollment enrollment, AuditEntry entry) {
        failIfTold();
        unique("hanse_enrollment_secret_uq",
                enrollments.values().stream().anyMatch(e -> e.secretHash().equals(enrollment.secretHash())));
        enrollments.put(enrollment.id(), enrollment);
        audit.add(entry);
    }

    @Override
    public synchronized List<StoredEnrollment> enrollments() {
        return enrollments.values().stream().sorted(Comparator.comparing(StoredEnrollment::created).reversed())
                .toList();
    }

    /** Redeems as the database does, one redemption at a time. */
    @Override
    public synchronized Optional<Redemption> redeemEnrollment(String secretHash, Instant now,
            Function<StoredEnrollment, Redemption> redeem) {
        failIfTold();
        return enrollments.values().stream()
                .filter(e -> e.secretHash().equals(secretHash) && e.used() == null && e.expires().isAfter(now))
                .findFirst().map(enrollment -> redeemed(enrollment, redeem.apply(enrollment), now));
    }

    private Redemption redeemed(StoredEnrollment enrollment, Redemption redemption, Instant now) {
        UUID id = redemption.principal().id();
        bindings.values().removeIf(binding -> id.equals(binding.principal()));
        keys.values().removeIf(key -> key.principal().equals(id));
        unique("hanse_ssh_key_fingerprint_uq", keys.containsKey(redemption.key().fingerprint()));
        principals.put(id, redemption.principal());
        redemption.bindings().forEach(binding -> bindings.put(binding.id(), binding));
        keys.put(redemption.key().fingerprint(), redemption.key());
        enrollments.put(enrollment.id(), new StoredEnrollment(enrollment.id(), enrollment.secretHash(),
                enrollment.agent(), enrollment.systems(), enrollment.createdBy(), enrollment.created(),
                enrollment.expires(), now));
        audit.add(redemption.audit());
        return redemption;
    }

    private void failIfTold() {
        Runnable action = beforeNextWrite;
        if (action != null) {
            beforeNextWrite = null;
            action.run();
        }
        RuntimeException failure = nextFailure;
        if (failure != null) {
            nextFailure = null;
            throw failure;
        }
    }

    private static void unique(String constraint, boolean violated) {
        if (violated) {
            throw new IllegalStateException("unique constraint " + constraint + " violated");
        }
    }

    /** A missing row: a foreign key the database would refuse, or a change to nothing the caller should not make. */
    private static void exists(String what, boolean present) {
        if (!present) {
            throw new IllegalStateException("no stored " + what);
        }
    }
}
