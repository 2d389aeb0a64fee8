package io.hanse.kernel.security.internal;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;
import static io.hanse.kernel.security.internal.SecurityFixture.ADDRESS;
import static io.hanse.kernel.security.internal.SecurityFixture.PASSWORD;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT_CALLER;
import static io.hanse.kernel.security.internal.SecurityFixture.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooManyRequestsException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.security.internal.SecurityManager.IssuedToken;
import io.hanse.kernel.security.internal.SecurityManager.Token;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API tokens: what they carry, how they narrow their owner's rights, and when they stop working. */
class TokensTest {

    private final SecurityFixture fixture = new SecurityFixture();
    private final SecurityManager manager = fixture.manager;

    @BeforeEach
    void aliceViewsEverythingAndOperatesTheShop() {
        fixture.systems.add("cache");
        fixture.systems.add("db");
        fixture.systems.add("web", "cache");
        fixture.systems.add("shop", "web", "db");
        fixture.systems.add("other");
        fixture.user("alice");
        fixture.bind("viewer", "alice", null, true);
        fixture.bind("operator", "alice", "shop", true);
    }

    private IssuedToken token(Set<String> roles, Set<String> systems) {
        return manager.createToken(ROOT_CALLER, "alice", "ci", roles, systems, null);
    }

    private Caller authenticate(IssuedToken token) {
        return manager.authenticate(bearer(token.secret()), ADDRESS);
    }

    @Test
    void aTokenWithoutLimitsCarriesEverythingItsOwnerHolds() {
        IssuedToken issued = token(null, null);

        Caller caller = authenticate(issued);

        assertTrue(issued.secret().startsWith(Tokens.PREFIX));
        assertEquals(new Source(Source.Kind.USER, "alice"), caller.source());
        assertTrue(caller.authenticated());
        assertEquals(Scope.EVERYWHERE, caller.scope(SYSTEMS_READ));
        assertEquals(Scope.of(Set.of("shop", "web", "cache", "db")), caller.scope(SYSTEMS_WRITE));
        assertEquals(fixture.clock.instant().plus(Duration.ofDays(90)), issued.token().expires());
        assertEquals(null, issued.token().roles());
        assertEquals(null, issued.token().systems());
    }

    @Test
    void aTokenLimitedToRolesCarriesOnlyThose() {
        IssuedToken issued = token(Set.of("viewer"), null);

        Caller caller = authenticate(issued);

        assertEquals(List.of("viewer"), issued.token().roles());
        assertEquals(Scope.EVERYWHERE, caller.scope(SYSTEMS_READ));
        assertEquals(Scope.NOWHERE, caller.scope(SYSTEMS_WRITE));
    }

    @Test
    void aTokenLimitedToSystemsHoldsNothingBeyondThemAndTheirMembers() {
        IssuedToken issued = token(null, Set.of("web"));

        Caller caller = authenticate(issued);

        assertEquals(List.of("web"), issued.token().systems());
        assertEquals(Scope.of(Set.of("web", "cache")), caller.scope(SYSTEMS_READ));
        assertEquals(Scope.of(Set.of("web", "cache")), caller.scope(SYSTEMS_WRITE));
        assertFalse(caller.may(SYSTEMS_READ, "other"));
    }

    @Test
    void aTokenNeverHoldsMoreThanItsOwnerWhereverItIsLimitedTo() {
        Caller caller = authenticate(token(null, Set.of("other")));

        assertEquals(Scope.of(Set.of("other")), caller.scope(SYSTEMS_READ));
        assertEquals(Scope.NOWHERE, caller.scope(SYSTEMS_WRITE));
    }

    @Test
    void limitsByRoleAndBySystemCombine() {
        Caller caller = authenticate(token(Set.of("operator"), Set.of("db")));

        assertEquals(Scope.of(Set.of("db")), caller.scope(SYSTEMS_WRITE));
        assertEquals(Scope.of(Set.of("db")), caller.scope(SYSTEMS_READ), "the viewer binding is left out");
    }

    @Test
    void aTokenLimitedToADeletedSystemHoldsNothing() {
        IssuedToken issued = token(null, Set.of("db"));

        fixture.systems.remove("db");

        assertEquals(Scope.NOWHERE, authenticate(issued).scope(SYSTEMS_READ));
    }

    @Test
    void aTokenCannotCarryARoleItsOwnerDoesNotHold() {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> token(Set.of("viewer", "admin"), null));

        assertTrue(refused.getMessage().contains("'admin'"), refused.getMessage());
        assertEquals(List.of(), manager.tokens("alice"));
        assertTrue(fixture.store.tokens.isEmpty());
        assertFalse(fixture.store.audit.stream().anyMatch(entry -> entry.action().equals("token.create")));
    }

    @Test
    void aTokenNamesOnlyRolesAndSystemsThatExist() {
        assertThrows(NotFoundException.class, () -> token(Set.of("no-such-role"), null));
        assertThrows(NotFoundException.class, () -> token(null, Set.of("no-such-system")));
        assertThrows(NotFoundException.class,
                () -> manager.createToken(ROOT_CALLER, "nobody", "ci", null, null, null));
    }

    @Test
    void aTokenHasANameUniqueToItsOwnerAndABoundedLife() {
        token(null, null);
        fixture.user("bob");

        assertThrows(ConflictException.class, () -> token(null, null));
        assertEquals("ci", manager.createToken(ROOT_CALLER, "bob", "ci", null, null, null).token().name());
        assertThrows(InvalidRequestException.class,
                () -> manager.createToken(ROOT_CALLER, "alice", " ", null, null, null));
        assertThrows(InvalidRequestException.class,
                () -> manager.createToken(ROOT_CALLER, "alice", "long", null, null, Duration.ofDays(367)));
        assertThrows(InvalidRequestException.class,
                () -> manager.createToken(ROOT_CALLER, "alice", "none", null, null, Duration.ZERO));
        assertThrows(InvalidRequestException.class,
                () -> manager.createToken(ROOT_CALLER, "alice", "past", null, null, Duration.ofHours(-1)));
        assertEquals(fixture.clock.instant().plus(Duration.ofDays(366)),
                manager.createToken(ROOT_CALLER, "alice", "year", null, null, Duration.ofDays(366)).token().expires());
    }

    @Test
    void unknownExpiredAndRevokedTokensAreRefusedAlike() {
        IssuedToken expiring = manager.createToken(ROOT_CALLER, "alice", "hour", null, null, Duration.ofHours(1));
        IssuedToken revoked = manager.createToken(ROOT_CALLER, "alice", "revoked", null, null, null);
        manager.revokeToken(revoked.token().id(), ROOT_CALLER);
        fixture.clock.advance(Duration.ofMinutes(59));
        assertTrue(authenticate(expiring).authenticated(), "still valid a minute before it expires");
        fixture.clock.advance(Duration.ofMinutes(1));

        String unknown = refusal(bearer(Tokens.generate(Tokens.PREFIX)));
        String expired = refusal(bearer(expiring.secret()));
        String wasRevoked = refusal(bearer(revoked.secret()));

        assertEquals(unknown, expired);
        assertEquals(unknown, wasRevoked);
        assertEquals(unknown, refusal("Bearer "));
    }

    @Test
    void aRevokedTokenSentOnLocksNoLoginOutOfItsAddressWhereUnknownOnesDo() {
        IssuedToken revoked = manager.createToken(ROOT_CALLER, "alice", "script", null, null, null);
        manager.revokeToken(revoked.token().id(), ROOT_CALLER);
        for (int i = 0; i < 3 * TestConfig.DEFAULTS.freeFailures(); i++) {
            refusal(bearer(revoked.secret()));
            fixture.clock.advance(Duration.ofSeconds(2));
        }
        assertTrue(manager.login("alice", PASSWORD.toCharArray(), ADDRESS).authenticated());

        for (int i = 0; i < TestConfig.DEFAULTS.freeFailures(); i++) {
            refusal(bearer(Tokens.generate(Tokens.PREFIX)));
        }
        refusal(bearer(Tokens.generate(Tokens.PREFIX)));
        assertThrows(TooManyRequestsException.class,
                () -> manager.login("alice", PASSWORD.toCharArray(), ADDRESS), "guessed tokens still lock out");
    }

    private String refusal(String authorization) {
        return assertThrows(UnauthenticatedException.class, () -> manager.authenticate(authorization, ADDRESS))
                .getMessage();
    }

    @Test
    void revokingATokenTakesEffectAtOnceAndLasts() {
        IssuedToken issued = token(null, null);
        assertTrue(authenticate(issued).authenticated());
        fixture.clock.advance(Duration.ofMinutes(5));

        Token revoked = manager.revokeToken(issued.token().id(), ROOT_CALLER);

        assertEquals(fixture.clock.instant(), revoked.revoked());
        assertThrows(UnauthenticatedException.class, () -> authenticate(issued));
        int entries = fixture.store.audit.size();
        assertEquals(revoked, manager.revokeToken(issued.token().id(), ROOT_CALLER),
                "revoking twice changes nothing");
        assertEquals(entries, fixture.store.audit.size());
        fixture.restart();
        assertThrows(UnauthenticatedException.class,
                () -> fixture.manager.authenticate(bearer(issued.secret()), ADDRESS));
    }

    @Test
    void aDisabledUsersTokenStopsWorkingUntilTheUserIsEnabledAgain() {
        IssuedToken issued = token(null, null);

        manager.updateUser("alice", null, true, ROOT_CALLER);
        assertThrows(UnauthenticatedException.class, () -> authenticate(issued));

        manager.updateUser("alice", null, false, ROOT_CALLER);
        assertTrue(authenticate(issued).authenticated());
    }

    @Test
    void aRemovedUsersTokensGoWithIt() {
        IssuedToken issued = token(null, null);

        manager.removeUser("alice", ROOT_CALLER);

        assertThrows(UnauthenticatedException.class, () -> authenticate(issued));
        assertThrows(NotFoundException.class, () -> manager.token(issued.token().id()));
        assertTrue(fixture.store.tokens.isEmpty());
    }

    @Test
    void aTokenRestsOnItsOwnersCurrentBindings() {
        IssuedToken issued = token(Set.of("operator"), null);
        UUID operator = manager.bindings().stream().filter(b -> b.role().equals("operator")).findFirst()
                .orElseThrow().id();

        manager.unbind(operator, ROOT_CALLER);

        assertEquals(Scope.NOWHERE, authenticate(issued).scope(SYSTEMS_WRITE));
    }

    @Test
    void aCallerStopsHoldingOnceItsRightsChangeButNotForOthersChanges() {
        Caller caller = authenticate(token(null, null));
        fixture.user("bob");
        fixture.bind("viewer", "bob", null, true);
        manager.addGroup("ops", null, ROOT);
        assertTrue(caller.valid(), "others' bindings and a group alice is not in change nothing of hers");

        manager.changeMember("ops", "alice", true, ROOT_CALLER);
        assertTrue(caller.valid(), "a group without bindings gives her nothing");
        manager.bind("operator", null, "ops", "other", false, ROOT_CALLER);
        assertFalse(caller.valid(), "a live stream opened before must not miss, nor keep, what her rights became");
        Caller now = authenticate(manager.createToken(ROOT_CALLER, "alice", "later", null, null, null));
        assertTrue(now.valid());
        manager.unbind(manager.bindings().stream().filter(b -> "shop".equals(b.system())).findFirst().orElseThrow()
                .id(), ROOT_CALLER);
        assertFalse(now.valid());
    }

    @Test
    void aCallerStopsHoldingOnceTheSystemsGiveItAnotherScope() {
        Caller caller = authenticate(token(null, null));
        Scope opened = caller.scope(SYSTEMS_WRITE);
        assertTrue(opened.includes("cache"), "through shop and web");

        fixture.systems.add("elsewhere");
        assertTrue(caller.valid(), "a system outside its scope changes nothing of it");
        fixture.systems.remove("cache");
        assertFalse(caller.valid(), "a live stream opened on shop and its members must not keep what left them");
    }

    @Test
    void aCallersTokenStopsHoldingWhenItExpiresThoughNothingWasWritten() {
        Caller caller = authenticate(manager.createToken(ROOT_CALLER, "alice", "brief", null, null,
                Duration.ofMinutes(1)));
        assertTrue(caller.valid());
        assertTrue(caller.valid(), "asked again with nothing written meanwhile");

        fixture.clock.advance(Duration.ofMinutes(2));
        assertFalse(caller.valid());
    }

    @Test
    void aServicePrincipalsTokenActsAsAnAgent() {
        manager.addUser("collector", "Metrics collector", true, null, ROOT);
        manager.bind("viewer", "collector", null, null, true, ROOT_CALLER);
        IssuedToken issued = manager.createToken(ROOT_CALLER, "collector", "push", Set.of("viewer"), null, null);

        Caller caller = authenticate(issued);

        assertEquals(new Source(Source.Kind.AGENT, "collector"), caller.source());
        assertTrue(caller.mayEverywhere(SYSTEMS_READ));
    }

    @Test
    void tokensAreListedNewestFirstAndSurviveARestart() {
        IssuedToken first = manager.createToken(ROOT_CALLER, "alice", "first", null, Set.of("web"), null);
        fixture.clock.advance(Duration.ofSeconds(1));
        manager.createToken(ROOT_CALLER, "alice", "second", Set.of("viewer"), null, null);

        assertEquals(List.of("second", "first"), manager.tokens("alice").stream().map(Token::name).toList());
        assertEquals("alice", manager.tokenOwner(first.token().id()));

        SecurityManager restarted = fixture.restart();

        assertEquals(manager.tokens(null), restarted.tokens(null));
        assertEquals(Scope.of(Set.of("web", "cache")),
                restarted.authenticate(bearer(first.secret()), ADDRESS).scope(SYSTEMS_WRITE));
    }
}
