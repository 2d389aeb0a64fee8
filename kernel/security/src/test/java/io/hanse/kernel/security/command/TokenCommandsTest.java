package io.hanse.kernel.security.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.security.internal.SecurityManager.IssuedToken;
import io.hanse.kernel.security.internal.SecurityManager.Token;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The token commands without a {@code SecurityManager}: its configuration type is private to its
 * package, so these tests check what the commands print and refuse before they would call it. A
 * command that got past its checks would fail on the missing manager with a
 * {@link NullPointerException}, not with the exception asserted.
 */
class TokenCommandsTest {

    private static final Instant CREATED = Instant.parse("2026-11-23T10:00:00Z");
    private static final String SECRET = "hanse_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0";
    private static final Token DEPLOY = new Token(UUID.fromString("3f2c1e4a-9b7d-4c2e-8f1a-0d6b5e4c3a21"),
            "deploy", "alice", List.of("operator"), null, CREATED.plus(Duration.ofDays(30)), CREATED, null);

    @Test
    void aNewTokenIsShownOnceWithAWarning() {
        String printed = TokenCreateCommand.issued(new IssuedToken(DEPLOY, SECRET));

        assertEquals(1, printed.split(SECRET, -1).length - 1, printed);
        assertTrue(printed.contains("will not be shown again"), printed);
        assertTrue(printed.startsWith("Created API token 'deploy' for alice (id " + DEPLOY.id() + ")"), printed);
        assertTrue(printed.contains("Roles: operator; systems: all; expires 2026-12-23T10:00:00Z"), printed);
    }

    @Test
    void aTokenWithoutLimitsSaysItCarriesAllTheUsersRoles() {
        Token unlimited = new Token(DEPLOY.id(), "ci", "bob", null, List.of("web"), null, CREATED, null);

        String printed = TokenCreateCommand.issued(new IssuedToken(unlimited, SECRET));

        assertTrue(printed.contains("Roles: all of bob's; systems: web; expires never"), printed);
    }

    @Test
    void theTokenListNeverShowsTheSecret() {
        IssuedToken issued = new IssuedToken(DEPLOY, SECRET);

        String table = Output.print(TokenListCommand.table(List.of(issued.token()), CREATED));
        String json = ShellJson.json(List.of(issued.token()));

        assertFalse(table.contains(SECRET), table);
        assertFalse(json.contains(SECRET), json);
        List<String> lines = table.lines().toList();
        assertEquals(List.of("Id", "Name", "User", "Roles", "Systems", "Expires", "State"), Output.cells(lines.get(0)));
        assertEquals(List.of(DEPLOY.id().toString(), "deploy", "alice", "operator", "all", "2026-12-23T10:00:00Z",
                "active"), Output.cells(lines.get(2)));
        assertTrue(json.contains("\"expires\" : \"2026-12-23T10:00:00Z\""), json);
    }

    @Test
    void aTokenIsActiveUntilItExpiresOrIsRevoked() {
        Token revoked = new Token(DEPLOY.id(), "deploy", "alice", null, null, DEPLOY.expires(), CREATED,
                CREATED.plusSeconds(60));

        assertEquals("active", TokenListCommand.state(DEPLOY, DEPLOY.expires().minusSeconds(1)));
        assertEquals("expired", TokenListCommand.state(DEPLOY, DEPLOY.expires()));
        assertEquals("revoked", TokenListCommand.state(revoked, CREATED.plusSeconds(61)));
    }

    @Test
    void theLifetimeIsAnIsoDuration() {
        assertEquals(Duration.ofDays(30), TokenCreateCommand.lifetime("P30D"));
        assertEquals(Duration.ofHours(12), TokenCreateCommand.lifetime(" pt12h "));
        assertNull(TokenCreateCommand.lifetime(null));
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> TokenCreateCommand.lifetime("30 days"));
        assertTrue(e.getMessage().contains("'30 days'"), e.getMessage());
    }

    @Test
    void roleAndSystemLimitsAreAbsentUnlessGiven() {
        assertNull(TokenCreateCommand.set(null));
        assertEquals(Set.of("operator", "viewer"), TokenCreateCommand.set(List.of("operator", "viewer")));
    }

    @Test
    void creatingATokenForSomeoneElseNeedsSecurityWrite() {
        TokenCreateCommand command = new TokenCreateCommand();
        command.name = "deploy";
        command.user = "bob";

        ForbiddenException e = assertThrows(ForbiddenException.class,
                () -> command.execute(ShellUsers.holding("alice", KernelPermissions.SELF_MANAGE)));
        assertTrue(e.getMessage().contains(KernelPermissions.SECURITY_WRITE), e.getMessage());
    }

    @Test
    void securityWriteOnOneSystemIsNotEnoughForSomeoneElsesToken() {
        TokenCreateCommand command = new TokenCreateCommand();
        command.name = "deploy";
        command.user = "bob";
        TestCaller webAdmin = new TestCaller(new Source(Source.Kind.USER, "alice"), true, false,
                Map.of(KernelPermissions.SELF_MANAGE, Scope.EVERYWHERE,
                        KernelPermissions.SECURITY_WRITE, Scope.of(Set.of("web"))));

        assertThrows(ForbiddenException.class, () -> command.execute(webAdmin));
    }

    @Test
    void listingSomeoneElsesTokensNeedsSecurityRead() {
        TestCaller alice = ShellUsers.holding("alice", KernelPermissions.SELF_MANAGE);
        TokenListCommand bobs = new TokenListCommand();
        bobs.user = "bob";
        TokenListCommand everyones = new TokenListCommand();
        everyones.all = true;
        TokenListCommand both = new TokenListCommand();
        both.user = "bob";
        both.all = true;

        assertThrows(ForbiddenException.class, () -> bobs.execute(alice));
        assertThrows(ForbiddenException.class, () -> everyones.execute(alice));
        assertThrows(InvalidRequestException.class, () -> both.execute(alice));
    }

    @Test
    void aUserActsOnThemselfWithoutFurtherPermission() {
        TestCaller alice = ShellUsers.holding("alice", KernelPermissions.SELF_MANAGE);
        TestCaller admin = ShellUsers.holding("root", KernelPermissions.SECURITY_WRITE);

        assertEquals("alice", Callers.actingOn(alice, null, KernelPermissions.SECURITY_WRITE));
        assertEquals("alice", Callers.actingOn(alice, "alice", KernelPermissions.SECURITY_WRITE));
        assertEquals("bob", Callers.actingOn(admin, "bob", KernelPermissions.SECURITY_WRITE));
        assertThrows(ForbiddenException.class, () -> Callers.actingOn(alice, "bob", KernelPermissions.SECURITY_WRITE));
    }

    @Test
    void aMalformedTokenIdIsRefusedBeforeAnythingIsLookedUp() {
        TokenRevokeCommand command = new TokenRevokeCommand();
        command.id = "not-an-id";

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> command.execute(ShellUsers.holding("alice", KernelPermissions.SELF_MANAGE)));
        assertTrue(e.getMessage().startsWith("'not-an-id' is not a token id"), e.getMessage());
    }
}
