package io.hanse.kernel.store;

import java.time.Instant;
import java.util.UUID;

/**
 * An SSH public key a principal logs in to the shell with.
 *
 * @param principal whose key it is
 * @param fingerprint its SHA-256 fingerprint, as OpenSSH shows it ({@code SHA256:…})
 * @param publicKey the key in OpenSSH's one-line format ({@code ssh-ed25519 AAAA… comment})
 * @param created when it was added
 */
public record StoredKey(UUID principal, String fingerprint, String publicKey, Instant created) {
}
