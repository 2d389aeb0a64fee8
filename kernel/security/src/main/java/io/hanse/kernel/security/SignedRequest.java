package io.hanse.kernel.security;

import java.util.Objects;

/**
 * An HTTP request an agent signed with its key, as the authenticator needs it (see
 * {@code docs/agent-protocol.md}).
 *
 * @param authorization the {@code Authorization} header's value, {@code Hanse-Signature key=…}
 * @param method the HTTP method
 * @param target the request target as sent: the raw path, and {@code ?} and the raw query if there is one
 * @param body the request body; empty if there is none
 * @param address the client's address, for counting failed attempts
 */
public record SignedRequest(String authorization, String method, String target, byte[] body, String address) {

    /** The {@code Authorization} scheme of signed requests. */
    public static final String SCHEME = "Hanse-Signature";

    public SignedRequest {
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
    }

    /** Whether an {@code Authorization} header's value uses this scheme. */
    public static boolean isSigned(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1);
    }
}
