package io.hanse.kernel.security;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Agents as security knows them: service principals that enrolled with a one-time token, hold the
 * built-in role {@code agent} on the systems the token named, and prove who they are with their
 * own Ed25519 key. What an agent says about itself is the agents bundle's business.
 */
@ProviderType
public interface AgentIdentities {

    /** The longest an enrollment token can be valid. */
    Duration MAX_VALIDITY = Duration.ofDays(7);

    /** An enrollment token as shown: never the token itself. */
    record Enrollment(UUID id, String agent, List<String> systems, String createdBy, Instant created,
            Instant expires, Instant used) {

        /** Returns it as a caller sees it: only the systems the caller may read agents on. */
        public Enrollment seenBy(Caller caller) {
            return new Enrollment(id, agent, readable(caller, systems), createdBy, created, expires, used);
        }
    }

    /** An enrollment token just created: the only time the token itself is shown. */
    record IssuedEnrollment(Enrollment enrollment, String token) {
    }

    /**
     * An enrolled agent's identity.
     *
     * @param id its service principal's id
     * @param systems the slugs of the systems it may report on
     * @param fingerprint its key's fingerprint; {@code null} if it has none
     */
    record Identity(UUID id, String name, List<String> systems, String fingerprint, boolean disabled,
            Instant created) {

        /** Returns it as a caller sees it: only the systems the caller may read agents on. */
        public Identity seenBy(Caller caller) {
            return new Identity(id, name, readable(caller, systems), fingerprint, disabled, created);
        }
    }

    /**
     * Creates a one-time token an agent enrolls with, as {@code agent}, to report on these systems.
     *
     * @param validFor how long it can be redeemed, at most {@link #MAX_VALIDITY}
     * @throws io.hanse.api.ForbiddenException unless the caller holds {@code agents:enroll} on every system
     * @throws io.hanse.api.ConflictException if a user, not an agent, has that name
     */
    IssuedEnrollment createEnrollment(Caller caller, String agent, List<String> systems, Duration validFor);

    /** Returns the enrollment tokens on systems the caller may see agents of, the newest first. */
    List<Enrollment> enrollments(Caller caller);

    /**
     * Redeems an enrollment token: creates the agent with this public key, or gives an agent of
     * that name (a rebuilt host) this key and the token's systems instead of its old ones.
     *
     * @param publicKey an Ed25519 key in OpenSSH's one-line format
     * @throws io.hanse.api.UnauthenticatedException if the token is unknown, expired or used, alike
     * @throws io.hanse.api.TooManyRequestsException if the address is locked out after such refusals,
     *     as it is for wrong API tokens (each counted apart)
     * @throws io.hanse.api.InvalidRequestException if the key is not an Ed25519 key
     */
    Identity enroll(String token, String publicKey, String address);

    /** Returns every enrolled agent. */
    List<Identity> identities();

    /**
     * Disables or enables an agent: a disabled agent's requests are refused at once.
     *
     * @throws io.hanse.api.ForbiddenException unless the caller holds {@code agents:manage} on all its systems
     */
    Identity setDisabled(Caller caller, String agent, boolean disabled);

    /**
     * Revokes an agent: deletes its principal and key, so its requests are refused at once and it
     * must enroll with a new token to come back.
     *
     * @throws io.hanse.api.ForbiddenException unless the caller holds {@code agents:manage} on all its systems
     */
    void revoke(Caller caller, String agent);

    /** Returns those of the systems on which the caller may read agents. */
    private static List<String> readable(Caller caller, List<String> systems) {
        return systems.stream().filter(system -> caller.may(KernelPermissions.AGENTS_READ, system)).toList();
    }
}
