package io.hanse.kernel.security.internal;

import io.hanse.api.security.Caller;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.StoredToken;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * An authenticated caller whose rights come from role bindings: per permission, whether it is held
 * on the whole instance and on which systems it is bound. Scopes are worked out from the system
 * graph when first asked for, and kept for the caller's short life (one request, one command).
 */
final class GrantedCaller implements Caller {

    /** Where a binding applies: a system, and whether everything it aggregates too. */
    record Root(UUID system, boolean includeMembers) {
    }

    /** Where one permission is held. */
    record Reach(boolean everywhere, List<Root> roots) {
    }

    private final Source source;
    private final Map<String, Reach> reach;
    /** The systems a token limits the caller to; {@code null} for no limit. */
    private final List<Root> limit;
    private final SystemScopes systems;
    /** The token the caller authenticated with; {@code null} for a password, a key or the console. */
    private final StoredToken token;
    private final BooleanSupplier valid;
    private final Map<String, Scope> scopes = new ConcurrentHashMap<>();
    // Both guarded by this: whether the scopes worked out so far are still what the systems give.
    private long reachedAt;
    private boolean reachHolds = true;

    /** @param valid whether the credentials still hold, asked anew each time */
    GrantedCaller(Source source, StoredToken token, BooleanSupplier valid, Map<String, Reach> reach,
            List<Root> limit, SystemScopes systems) {
        this.source = source;
        this.token = token;
        this.valid = valid;
        this.reach = Map.copyOf(reach);
        this.limit = limit == null ? null : List.copyOf(limit);
        this.systems = systems;
        this.reachedAt = systems.version();
    }

    @Override
    public Source source() {
        return source;
    }

    /** Returns the token the caller authenticated with; {@code null} for a password, a key or the console. */
    StoredToken token() {
        return token;
    }

    @Override
    public boolean authenticated() {
        return true;
    }

    /**
     * Also false once a scope it worked out is no longer what the systems give: a system that left
     * an aggregate the caller is bound on, or joined one, is not in the scope a live stream was
     * opened with, nor out of it.
     */
    @Override
    public boolean valid() {
        return valid.getAsBoolean() && reachHolds();
    }

    private synchronized boolean reachHolds() {
        long now = systems.version();
        if (now != reachedAt && reachHolds) {
            reachHolds = scopes.entrySet().stream().allMatch(kept -> compute(kept.getKey()).equals(kept.getValue()));
            reachedAt = now;
        }
        return reachHolds;
    }

    @Override
    public Scope scope(String permission) {
        return scopes.computeIfAbsent(permission, this::compute);
    }

    private Scope compute(String permission) {
        Reach held = reach.get(permission);
        if (held == null) {
            return Scope.NOWHERE;
        }
        if (limit == null) {
            return held.everywhere() ? Scope.EVERYWHERE : Scope.of(systems.expand(held.roots()));
        }
        Set<String> limited = new HashSet<>(systems.expand(limit));
        if (!held.everywhere()) {
            limited.retainAll(systems.expand(held.roots()));
        }
        return Scope.of(limited);
    }

    @Override
    public String toString() {
        return source.name();
    }
}
