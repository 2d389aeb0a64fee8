package io.hanse.kernel.security.internal;

import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.kernel.store.SecurityStore;
import io.hanse.kernel.store.StoredBinding;
import io.hanse.kernel.store.StoredGroup;
import io.hanse.kernel.store.StoredKey;
import io.hanse.kernel.store.StoredPrincipal;
import io.hanse.kernel.store.StoredRole;
import io.hanse.kernel.store.StoredToken;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Principals, groups, roles, role bindings, API tokens and SSH keys in memory: loaded from the
 * {@link SecurityStore} at start and changed after each write to it, dropping what the database
 * drops with a row. One read-write lock guards them all; every method but {@link #read} and
 * {@link #write} expects its caller to hold it, so that a check and the change it allows happen
 * under one lock. Lookups return {@code null} where there is no such row; {@link Named#require}
 * throws {@link NotFoundException} instead. Listings are read-only views. After each write, once
 * the lock is let go, it tells whoever must know that something changed.
 */
final class SecurityState {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // All guarded by lock.
    private final Named<StoredPrincipal> principals = new Named<>("user", StoredPrincipal::id, StoredPrincipal::name);
    private final Named<StoredGroup> groups = new Named<>("group", StoredGroup::id, StoredGroup::name);
    private final Map<String, StoredRole> roles = new TreeMap<>();
    private final Map<UUID, StoredBinding> bindings = new LinkedHashMap<>();
    private final Map<UUID, StoredToken> tokens = new LinkedHashMap<>();
    private final Map<String, StoredToken> tokensByHash = new HashMap<>();
    private final Map<String, StoredKey> keysByFingerprint = new TreeMap<>();
    private final Runnable changed;
    /** Counts the writes, so that what was worked out from the state knows when to work it out again. */
    private long version;

    /**
     * @param changed run after each write, outside the lock
     */
    SecurityState(SecurityStore.Contents contents, Runnable changed) {
        this.changed = changed;
        contents.principals().forEach(principals::put);
        contents.groups().forEach(groups::put);
        contents.roles().forEach(this::putRole);
        contents.bindings().forEach(this::putBinding);
        contents.tokens().forEach(this::putToken);
        contents.keys().forEach(this::putKey);
    }

    <T> T read(Supplier<T> reading) {
        lock.readLock().lock();
        try {
            return reading.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T write(Supplier<T> writing) {
        lock.writeLock().lock();
        try {
            version++;
            return writing.get();
        } finally {
            lock.writeLock().unlock();
            if (!lock.isWriteLockedByCurrentThread()) {
                changed.run();
            }
        }
    }

    /** Returns how many writes there were; another number means the state may have changed. */
    long version() {
        return version;
    }

    // --- principals and groups ---

    Named<StoredPrincipal> principals() {
        return principals;
    }

    Named<StoredGroup> groups() {
        return groups;
    }

    /** Forgets a principal with its group memberships, bindings, tokens and keys. */
    void removePrincipal(StoredPrincipal principal) {
        principals.remove(principal);
        groupsOf(principal).toList().forEach(g -> {
            Set<UUID> members = new HashSet<>(g.members());
            members.remove(principal.id());
            groups.put(new StoredGroup(g.id(), g.name(), g.description(), members));
        });
        bindings.values().removeIf(b -> principal.id().equals(b.principal()));
        tokens.values().stream().filter(t -> t.principal().equals(principal.id())).toList()
                .forEach(t -> tokensByHash.remove(t.secretHash()));
        tokens.values().removeIf(t -> t.principal().equals(principal.id()));
        keysByFingerprint.values().removeIf(k -> k.principal().equals(principal.id()));
    }

    /** Forgets a group with its bindings. */
    void removeGroup(StoredGroup group) {
        groups.remove(group);
        bindings.values().removeIf(b -> group.id().equals(b.group()));
    }

    /** Returns the groups a principal is a member of. */
    Stream<StoredGroup> groupsOf(StoredPrincipal principal) {
        return groups.byId.values().stream().filter(g -> g.members().contains(principal.id()));
    }

    /** Returns the bindings that apply to a principal: its own and those of its groups. */
    Stream<StoredBinding> bindingsOf(StoredPrincipal principal) {
        Set<UUID> memberOf = new HashSet<>();
        groupsOf(principal).forEach(g -> memberOf.add(g.id()));
        return bindings.values().stream().filter(binding -> principal.id().equals(binding.principal())
                || binding.group() != null && memberOf.contains(binding.group()));
    }

    // --- roles ---

    /** Returns the stored roles, by name; the built-in ones are not stored. */
    Collection<StoredRole> roles() {
        return Collections.unmodifiableCollection(roles.values());
    }

    StoredRole role(String name) {
        return roles.get(name);
    }

    void putRole(StoredRole role) {
        roles.put(role.name(), role);
    }

    /** Forgets a role with its bindings. */
    void removeRole(String name) {
        roles.remove(name);
        bindings.values().removeIf(b -> b.role().equals(name));
    }

    // --- bindings ---

    /** Returns the bindings, oldest first. */
    Collection<StoredBinding> bindings() {
        return Collections.unmodifiableCollection(bindings.values());
    }

    StoredBinding binding(UUID id) {
        return bindings.get(id);
    }

    void putBinding(StoredBinding binding) {
        bindings.put(binding.id(), binding);
    }

    void removeBinding(UUID id) {
        bindings.remove(id);
    }

    /** Forgets the bindings on a system. */
    void removeBindingsOn(UUID system) {
        bindings.values().removeIf(b -> system.equals(b.system()));
    }

    // --- tokens ---

    /** Returns the tokens, oldest first. */
    Collection<StoredToken> tokens() {
        return Collections.unmodifiableCollection(tokens.values());
    }

    StoredToken token(UUID id) {
        return tokens.get(id);
    }

    /** Returns the token whose secret has that hash. */
    StoredToken tokenByHash(String secretHash) {
        return tokensByHash.get(secretHash);
    }

    void putToken(StoredToken token) {
        tokens.put(token.id(), token);
        tokensByHash.put(token.secretHash(), token);
    }

    // --- SSH keys ---

    /** Returns the keys, by fingerprint. */
    Collection<StoredKey> keys() {
        return Collections.unmodifiableCollection(keysByFingerprint.values());
    }

    StoredKey key(String fingerprint) {
        return keysByFingerprint.get(fingerprint);
    }

    void putKey(StoredKey key) {
        keysByFingerprint.put(key.fingerprint(), key);
    }

    void removeKey(String fingerprint) {
        keysByFingerprint.remove(fingerprint);
    }

    /** Principals or groups: by id, and by name in name order. */
    static final class Named<T> {

        private final String what;
        private final Function<T, UUID> id;
        private final Function<T, String> name;
        private final Map<UUID, T> byId = new HashMap<>();
        private final Map<String, T> byName = new TreeMap<>();

        private Named(String what, Function<T, UUID> id, Function<T, String> name) {
            this.what = what;
            this.id = id;
            this.name = name;
        }

        /** Returns them all, by name. */
        Collection<T> all() {
            return Collections.unmodifiableCollection(byName.values());
        }

        T get(UUID key) {
            return byId.get(key);
        }

        T get(String key) {
            return byName.get(key);
        }

        /** @throws NotFoundException naming what is missing */
        T require(String key) {
            T row = byName.get(key);
            if (row == null) {
                throw new NotFoundException("no " + what + " " + Messages.quote(key));
            }
            return row;
        }

        /** Adds a row, or replaces the one with its id. */
        void put(T row) {
            byId.put(id.apply(row), row);
            byName.put(name.apply(row), row);
        }

        /** Forgets a row; only {@link SecurityState} does, as it also forgets what refers to the row. */
        private void remove(T row) {
            byId.remove(id.apply(row));
            byName.remove(name.apply(row));
        }
    }
}
