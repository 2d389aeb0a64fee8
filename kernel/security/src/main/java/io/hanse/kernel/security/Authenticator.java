package io.hanse.kernel.security;

import io.hanse.api.TooManyRequestsException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** Decides who is behind an HTTP request. */
@ProviderType
public interface Authenticator {

    /**
     * Returns the caller an {@code Authorization} header proves: a bearer token, or HTTP Basic when
     * it is turned on. Without a header, the caller is anonymous.
     *
     * @param authorization the header's value; {@code null} if there is none
     * @param address the client's address, for counting failed attempts
     * @throws UnauthenticatedException if the credentials prove nothing, without saying why
     * @throws TooManyRequestsException if too many attempts from this address or for this user failed
     */
    Caller authenticate(String authorization, String address);

    /**
     * Returns the agent whose key signed a request; see {@code docs/agent-protocol.md}.
     *
     * @throws UnauthenticatedException if the signature, its time or nonce, or the key does not hold,
     *     without saying which, except that a request signed before the server started must be signed
     *     again; each refusal is audited
     * @throws TooManyRequestsException if too many requests from this address failed, or too many were
     *     signed, by all agents or with this key, in the time a nonce is remembered
     */
    Caller authenticate(SignedRequest request);
}
