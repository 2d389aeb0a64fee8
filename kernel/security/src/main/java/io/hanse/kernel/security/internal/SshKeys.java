package io.hanse.kernel.security.internal;

import io.hanse.api.InvalidRequestException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/** SSH public keys in OpenSSH's one-line format, read with the SSHD library Karaf's SSH server uses. */
final class SshKeys {

    private SshKeys() {
    }

    /**
     * Returns the key a line such as {@code ecdsa-sha2-nistp256 AAAA… comment} holds.
     *
     * @throws InvalidRequestException if the line is not one public key
     */
    static PublicKey parse(String line) {
        if (line == null || line.isBlank() || line.length() > 10_000 || line.strip().contains("\n")) {
            throw new InvalidRequestException("an SSH public key is one line such as 'ecdsa-sha2-nistp256 AAAA… comment'");
        }
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line.strip());
            PublicKey key = entry == null ? null : entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new InvalidRequestException("not an SSH public key: expected 'ecdsa-sha2-nistp256 AAAA… comment'");
            }
            if (KeyPairProvider.SSH_ED25519.equals(KeyUtils.getKeyType(key))) {
                // Karaf 4.4.10's SSH server finds no verifier for them, even with Bouncy Castle present: such
                // a key could never log in, so it is refused now rather than at every login.
                throw new InvalidRequestException("the SSH server cannot verify ssh-ed25519 keys yet; add an ECDSA"
                        + " or RSA key instead, such as one from ssh-keygen -t ecdsa");
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
