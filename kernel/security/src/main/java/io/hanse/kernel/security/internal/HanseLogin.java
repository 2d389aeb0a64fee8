package io.hanse.kernel.security.internal;

import java.security.Principal;
import java.util.UUID;

/**
 * Marks a JAAS subject as logged in through Hanse's realm, and says as whom. A shell command
 * asks for the principal's current rights through it, so a user disabled meanwhile is refused.
 *
 * @param id the principal's id
 * @param name its login name
 */
record HanseLogin(UUID id, String name) implements Principal {

    @Override
    public String getName() {
        return name;
    }
}
