package io.hanse.kernel.store;

import java.util.Set;

/**
 * A role defined on this instance (the built-in roles are not stored).
 *
 * @param name its unique name
 * @param description what it is for; may be empty
 * @param permissions the names of the permissions it bundles
 */
public record StoredRole(String name, String description, Set<String> permissions) {

    public StoredRole {
        permissions = Set.copyOf(permissions);
    }
}
