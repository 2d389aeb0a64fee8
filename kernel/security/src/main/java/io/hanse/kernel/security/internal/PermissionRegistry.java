package io.hanse.kernel.security.internal;

import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.Permission;
import io.hanse.api.security.PermissionSet;
import io.hanse.kernel.store.StoredRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The permissions the kernel and its plugins declare, collected from their {@link PermissionSet}s,
 * and the built-in roles, which hold permissions by level rather than by name. Guarded by its own
 * monitor, which may be taken while holding the {@link SecurityState}'s lock but never the other
 * way round.
 */
final class PermissionRegistry {

    /**
     * The built-in role that holds every permission; also the name of the first user, and the Karaf
     * role that Karaf's own commands ask for.
     */
    static final String ADMIN = "admin";
    /** The built-in role an enrolled agent holds on each system it reports on: reporting, and nothing else. */
    static final String AGENT = "agent";
    /**
     * The built-in roles, each holding the permissions of its level and those below; but for
     * {@code agents:report}, which only agents hold, through {@link #AGENT}.
     */
    private static final Map<String, Permission.Level> BUILT_IN_ROLES = Map.of(
            "viewer", Permission.Level.READ, "operator", Permission.Level.OPERATE,
            ADMIN, Permission.Level.ADMINISTER);
    private static final Logger LOG = LoggerFactory.getLogger(PermissionRegistry.class);

    /** Declared permissions by name, and who declared them; guarded by itself. */
    private final Map<String, Permission> permissions = new TreeMap<>();
    private final Map<PermissionSet, List<Permission>> declared = new HashMap<>();

    /** Takes in a set's permissions; a name another set declared already keeps that first declaration. */
    void add(PermissionSet set) {
        List<Permission> accepted = new ArrayList<>();
        synchronized (permissions) {
            for (Permission permission : set.permissions()) {
                if (permissions.containsKey(permission.name())) {
                    LOG.error("Permission {} is declared twice; the first declaration stays and {}'s is ignored",
                            permission.name(), set.getClass().getName());
                } else {
                    permissions.put(permission.name(), permission);
                    accepted.add(permission);
                }
            }
            declared.put(set, accepted);
        }
    }

    /** Forgets the permissions a set declared. */
    void remove(PermissionSet set) {
        synchronized (permissions) {
            List<Permission> gone = declared.remove(set);
            if (gone != null) {
                gone.forEach(permission -> permissions.remove(permission.name()));
            }
        }
    }

    /** Returns the declared permissions, by name. */
    List<Permission> permissions() {
        synchronized (permissions) {
            return List.copyOf(permissions.values());
        }
    }

    /**
     * Returns the declared permissions a role holds now: by level for a built-in role, as declared
     * for a stored one.
     *
     * @param stored the stored role of that name; {@code null} for a built-in role or none
     */
    Set<String> permissionsOf(String role, StoredRole stored) {
        Permission.Level level = BUILT_IN_ROLES.get(role);
        synchronized (permissions) {
            Set<String> held = new TreeSet<>();
            if (role.equals(AGENT)) {
                if (permissions.containsKey(KernelPermissions.AGENTS_REPORT)) {
                    held.add(KernelPermissions.AGENTS_REPORT);
                }
            } else if (level != null) {
                permissions.values().stream().filter(p -> p.level().compareTo(level) <= 0)
                        .filter(p -> !p.name().equals(KernelPermissions.AGENTS_REPORT))
                        .forEach(p -> held.add(p.name()));
            } else if (stored != null) {
                stored.permissions().stream().filter(permissions::containsKey).forEach(held::add);
            }
            return held;
        }
    }

    static boolean builtIn(String role) {
        return BUILT_IN_ROLES.containsKey(role) || role.equals(AGENT);
    }

    /** Returns the names of the built-in roles: the agents', then the others from the least to the most powerful. */
    static List<String> builtInRoles() {
        return Stream.concat(Stream.of(AGENT),
                BUILT_IN_ROLES.keySet().stream().sorted(Comparator.comparing(BUILT_IN_ROLES::get))).toList();
    }
}
