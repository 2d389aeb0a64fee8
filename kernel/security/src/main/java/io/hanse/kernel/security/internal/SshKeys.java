package io.hanse.kernel.security.internal;

import io.hanse.api.InvalidRequestException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/** SSH public keys in OpenSSH's one-line format, read with the SSHD library Karaf's SSH server uses. */
final class SshKeys {

    private SshKeys() {
    }

    /**
     * Returns the key a line such as {@code ssh-ed25519 AAAA… comment} holds.
     *
     * @throws InvalidRequestException if the line is not one public key
     */
    static PublicKey parse(String line) {
        if (line == null || line.isBlank() || line.length() > 10_000 || line.strip().contains("\n")) {
            throw new InvalidRequestException("an SSH public key is one line such as 'ssh-ed25519 AAAA… comment'");
        }
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line.strip());
            PublicKey key = entry == null ? null : entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new InvalidRequestException("not an SSH public key: expected 'ssh-ed25519 AAAA… comment'");
            }
            return key;
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            throw new InvalidRequestException("not a readable SSH public key: " + e.getMessage());
        }
    }

    /** Returns a key's SHA-256 fingerprint as OpenSSH shows it, {@code SHA256:…}. */
    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }
}
