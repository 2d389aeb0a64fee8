package io.hanse.kernel.security.internal;

import java.security.Principal;
import java.util.UUID;

/**
 * Marks a JAAS subject as logged in through Hanse's realm, and says as whom, how and from where. A
 * shell command asks for the principal's current rights through it, so a user disabled meanwhile
 * is refused.
 *
 * @param id the principal's id
 * @param name its login name
 * @param credential {@code password}, or {@code key} and the key's fingerprint, {@code key SHA256:…}
 * @param address the client's address, without its port
 */
record HanseLogin(UUID id, String name, String credential, String address) implements Principal {

    /** The credential of a login with a password. */
    static final String PASSWORD = "password";

    /** Returns the credential of a login with the key of this fingerprint. */
    static String key(String fingerprint) {
        return "key " + fingerprint;
    }

    @Override
    public String getName() {
        return name;
    }
}
