package io.hanse.kernel.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps principals, groups, roles, bindings, tokens and SSH keys. Each change is one transaction
 * that also writes its audit entry: either both are stored or neither is.
 */
@ProviderType
public interface SecurityStore {

    /** Everything, read at start. */
    record Contents(List<StoredPrincipal> principals, List<StoredGroup> groups, List<StoredRole> roles,
            List<StoredBinding> bindings, List<StoredToken> tokens, List<StoredKey> keys) {
    }

    /** Returns everything stored. */
    Contents loadAll();

    /** Stores a new principal, or replaces the one with its id. */
    void savePrincipal(StoredPrincipal principal, AuditEntry audit);

    /**
     * Stores a new principal together with its first role bindings, in one transaction with one
     * audit entry: either it exists with all of them or not at all.
     */
    void insertPrincipal(StoredPrincipal principal, List<StoredBinding> bindings, AuditEntry audit);

    /** Deletes a principal with its group memberships, bindings, tokens and keys. */
    void deletePrincipal(UUID id, AuditEntry audit);

    /** Stores a new group, or replaces the one with its id, members included. */
    void saveGroup(StoredGroup group, AuditEntry audit);

    /** Deletes a group with its bindings. */
    void deleteGroup(UUID id, AuditEntry audit);

    /** Stores a new role, or replaces the one with its name. */
    void saveRole(StoredRole role, AuditEntry audit);

    /** Deletes a role with its bindings. */
    void deleteRole(String name, AuditEntry audit);

    void insertBinding(StoredBinding binding, AuditEntry audit);

    void deleteBinding(UUID id, AuditEntry audit);

    void insertToken(StoredToken token, AuditEntry audit);

    /** Marks a token revoked at a time. */
    void revokeToken(UUID id, Instant at, AuditEntry audit);

    void insertKey(StoredKey key, AuditEntry audit);

    void deleteKey(UUID principal, String fingerprint, AuditEntry audit);

    /** Stores a new enrollment token. */
    void insertEnrollment(StoredEnrollment enrollment, AuditEntry audit);

    /** Returns every enrollment token, the newest first. */
    List<StoredEnrollment> enrollments();

    /**
     * What redeeming an enrollment token stores: the agent's service principal (new, or replacing
     * the one with its id), whose role bindings and keys become exactly these.
     */
    record Redemption(StoredPrincipal principal, List<StoredBinding> bindings, StoredKey key, AuditEntry audit) {
    }

    /**
     * Redeems the enrollment token with this hash if it is unused and unexpired, storing what
     * {@code redeem} makes of it in the same transaction. Of concurrent redemptions of one token at
     * most one succeeds; if {@code redeem} throws, nothing is stored and the token stays unused.
     *
     * @return what was stored, or empty if no unused, unexpired token has this hash
     */
    Optional<Redemption> redeemEnrollment(String secretHash, Instant now,
            Function<StoredEnrollment, Redemption> redeem);
}
