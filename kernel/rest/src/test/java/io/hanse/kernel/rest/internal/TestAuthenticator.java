package io.hanse.kernel.rest.internal;

import io.hanse.api.UnauthenticatedException;
import io.hanse.api.security.Caller;
import io.hanse.kernel.security.Authenticator;
import io.hanse.kernel.security.SignedRequest;
import io.hanse.testing.TestCaller;
import java.util.Map;
import java.util.Set;

/**
 * Knows two bearer tokens: {@code admin}, who may do everything, and {@code web-viewer}, who may
 * read systems {@code web} and {@code db} only. No header is anonymous; anything else, signed
 * requests included, is refused.
 */
final class TestAuthenticator implements Authenticator {

    static final TestAuthenticator INSTANCE = new TestAuthenticator();

    private static final Map<String, Caller> TOKENS = Map.of(
            "admin", TestCaller.everywhere("admin"),
            "web-viewer", TestCaller.on("viewer", Set.of("web", "db"), "systems:read"));

    @Override
    public Caller authenticate(String authorization, String address) {
        if (authorization == null) {
            return Caller.anonymous();
        }
        Caller caller = authorization.startsWith("Bearer ") ? TOKENS.get(authorization.substring(7)) : null;
        if (caller == null) {
            throw new UnauthenticatedException("the credentials are not valid");
        }
        return caller;
    }

    @Override
    public Caller authenticate(SignedRequest request) {
        throw new UnauthenticatedException("the credentials are not valid");
    }
}
