package io.hanse.kernel.security.internal;

import static io.hanse.api.security.KernelPermissions.AGENTS_MANAGE;
import static io.hanse.api.security.KernelPermissions.AGENTS_READ;
import static io.hanse.api.security.KernelPermissions.AGENTS_REPORT;
import static io.hanse.kernel.security.internal.SecurityFixture.ADDRESS;
import static io.hanse.kernel.security.internal.SecurityFixture.PASSWORD;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT_CALLER;
import static io.hanse.kernel.security.internal.SecurityFixture.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.NotFoundException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.TooManyRequestsException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.security.Caller;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.security.AgentIdentities.Identity;
import io.hanse.kernel.security.AgentIdentities.IssuedEnrollment;
import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.security.Refusals;
import io.hanse.kernel.security.SignedRequest;
import io.hanse.kernel.store.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agents: one-time enrollment tokens, keys the agent made itself, and signed requests that are
 * refused, and audited, when anything about them does not hold.
 */
class AgentsTest {

    private static final String PATH = "/api/v1/agents/self/observations";
    private static final byte[] BODY = "{\"bootEpoch\":1,\"observations\":[]}".getBytes(StandardCharsets.UTF_8);

    private final SecurityFixture fixture = new SecurityFixture();
    private final SecurityManager manager = fixture.manager;
    private final KeyPair key = TestKeys.ed25519Pair();
    private Caller admin;

    @BeforeEach
    void systemsAndAnAdmin() {
        fixture.systems.add("web-1");
        fixture.systems.add("db-1");
        fixture.user("alice");
        fixture.bind("admin", "alice", null, true);
        admin = fixture.login("alice");
    }

    @Test
    void anEnrolledAgentSignsRequestsAndReportsOnItsSystemsOnly() {
        Identity agent = enroll("web-1", List.of("web-1"));

        assertEquals("web-1", agent.name());
        assertEquals(List.of("web-1"), agent.systems());
        assertEquals(Ed25519Key.parse(TestKeys.line(key.getPublic())).fingerprint(), agent.fingerprint());
        Caller caller = manager.authenticate(sign("POST", PATH, BODY, fixture.clock.instant()));
        assertEquals(new Source(Source.Kind.AGENT, "web-1"), caller.source());
        assertTrue(caller.may(AGENTS_REPORT, "web-1"));
        assertFalse(caller.may(AGENTS_REPORT, "db-1"), "only the systems its token named");
        assertFalse(caller.may("systems:read", "web-1"), "an agent reports, and does nothing else");
    }

    @Test
    void enrollingAnAgentAgainTakesManagingItAndListsShowOnlySystemsTheCallerMayRead() {
        enroll("web-1", List.of("web-1", "db-1"));
        manager.setDisabled(admin, "web-1", true);
        fixture.user("bob");
        fixture.bind("admin", "bob", "db-1", true);
        Caller bob = fixture.login("bob");

        assertEquals("missing permission agents:manage on all of agent web-1's systems", assertThrows(
                ForbiddenException.class, () -> manager.createEnrollment(bob, "web-1", List.of("db-1"),
                        Duration.ofHours(1))).getMessage(),
                "else it takes over an agent it may not disable or revoke, and enables it again");
        assertEquals(List.of("db-1"), manager.enrollments(bob).get(0).systems());
        assertEquals(List.of("db-1", "web-1"), manager.enrollments(admin).get(0).systems());
    }

    @Test
    void aServiceAccountHoldingMoreThanAnAgentCannotBeTakenOverByEnrollingIt() {
        manager.addUser("ci-bot", "CI", true, null, ROOT);
        fixture.user("boss");
        manager.addGroup("admins", "", ROOT);
        manager.bind("admin", null, "admins", null, true, ROOT_CALLER);
        manager.changeMember("admins", "boss", true, ROOT_CALLER);
        IssuedEnrollment early = manager.createEnrollment(admin, "ci-bot", List.of("web-1"), Duration.ofHours(1));
        manager.changeMember("admins", "ci-bot", true, ROOT_CALLER);

        assertTrue(assertThrows(ConflictException.class, () -> manager.createEnrollment(admin, "ci-bot",
                List.of("web-1"), Duration.ofHours(1))).getMessage().contains("holds more than an agent's role"));
        assertTrue(assertThrows(ConflictException.class, () -> manager.enroll(early.token(),
                TestKeys.line(key.getPublic()), ADDRESS)).getMessage().contains("holds more than an agent's role"),
                "in a group by the time the token is redeemed");
        assertTrue(fixture.login("boss").mayEverywhere("security:write"), "the group's binding stays");
    }

    @Test
    void aTokenMadeBeforeItsAgentWasEnrolledCannotTakeItOver() {
        fixture.user("bob");
        fixture.bind("admin", "bob", "db-1", true);
        IssuedEnrollment early = manager.createEnrollment(fixture.login("bob"), "web-1", List.of("db-1"),
                Duration.ofDays(1));
        fixture.clock.advance(Duration.ofSeconds(1));
        enroll("web-1", List.of("web-1"));
        manager.setDisabled(admin, "web-1", true);

        assertTrue(assertThrows(ConflictException.class, () -> manager.enroll(early.token(),
                TestKeys.line(TestKeys.ed25519()), ADDRESS)).getMessage().contains("was enrolled after this token"));
        assertTrue(manager.identities().get(0).disabled(), "still disabled, with its own key and systems");
        assertEquals(List.of("web-1"), manager.identities().get(0).systems());
    }

    @Test
    void anAgentWhoseSystemsAreGoneIsManagedOnlyByWhoManagesAgentsEverywhere() {
        enroll("web-1", List.of("web-1"));
        fixture.user("bob");
        fixture.bind("admin", "bob", "db-1", true);
        fixture.systems.remove("web-1");
        assertThrows(NotFoundException.class, () -> manager.setDisabled(fixture.login("bob"), "web-1", true));
        manager.setDisabled(admin, "web-1", true);
    }

    @Test
    void anAgentTheCallerMayNotSeeIsNotFoundAsOneThatDoesNotExist() {
        enroll("web-1", List.of("web-1"));
        fixture.user("bob");
        fixture.bind("admin", "bob", "db-1", true);
        Caller bob = fixture.login("bob");

        assertEquals("no agent 'web-1'", assertThrows(NotFoundException.class,
                () -> manager.setDisabled(bob, "web-1", true)).getMessage());
        assertEquals("no agent 'web-2'", assertThrows(NotFoundException.class,
                () -> manager.revoke(bob, "web-2")).getMessage());
        assertEquals("'web-1' is the name of an agent you may not see", assertThrows(ConflictException.class,
                () -> manager.createEnrollment(bob, "web-1", List.of("db-1"), Duration.ofHours(1))).getMessage(),
                "names are unique, but where it reports does not show");
        fixture.bind("viewer", "bob", "web-1", true);
        assertEquals("missing permission agents:manage on system 'web-1'", assertThrows(ForbiddenException.class,
                () -> manager.revoke(fixture.login("bob"), "web-1")).getMessage());
        assertFalse(manager.identities().get(0).disabled());
    }

    @Test
    void aRefusalToManageAnAgentNamesNoSystemTheCallerMayNotSee() {
        enroll("node-1", List.of("web-1", "db-1"));
        fixture.user("bob");
        fixture.bind("admin", "bob", "web-1", true);

        assertEquals("missing permission agents:manage on all of agent node-1's systems", assertThrows(
                ForbiddenException.class, () -> manager.setDisabled(fixture.login("bob"), "node-1", true))
                .getMessage(), "not db-1, which bob's list of agents does not show");
    }

    @Test
    void whoManagesAnAgentsSystemsDisablesAndRevokesIt() {
        enroll("web-1", List.of("web-1"));
        manager.saveRole("agent-keeper", "", Set.of(AGENTS_READ, AGENTS_MANAGE), true, ROOT_CALLER);
        fixture.user("bob");
        fixture.bind("agent-keeper", "bob", "web-1", true);
        Caller bob = fixture.login("bob");

        manager.setDisabled(bob, "web-1", true);
        manager.setDisabled(bob, "web-1", false);
        manager.revoke(bob, "web-1");
        List<AuditEntry> audit = fixture.store.audit;
        assertEquals(List.of("agent.disable agent/web-1", "agent.enable agent/web-1", "agent.revoke agent/web-1"),
                audit.subList(audit.size() - 3, audit.size()).stream().map(entry -> entry.action() + " "
                        + entry.target()).toList(), "audited as the agent's, as its enrollment is");

        assertTrue(manager.identities().isEmpty(), "agents:manage on its system is enough, without agents:enroll");
    }

    @Test
    void managingAgentsTakesNothingAwayFromAServiceAccountHoldingMore() {
        manager.addUser("ci-bot", "CI", true, null, ROOT);
        manager.bind("agent", "ci-bot", null, "web-1", false, ROOT_CALLER);
        manager.bind("operator", "ci-bot", null, null, true, ROOT_CALLER);
        manager.saveRole("agent-keeper", "", Set.of(AGENTS_READ, AGENTS_MANAGE), true, ROOT_CALLER);
        fixture.user("bob");
        fixture.bind("agent-keeper", "bob", null, true);
        Caller bob = fixture.login("bob");
        List<AuditEntry> audit = fixture.store.audit;

        assertEquals("missing permission agents:desire on the whole instance: user ci-bot holds it, and a caller"
                + " takes away only what it holds", assertThrows(ForbiddenException.class,
                        () -> manager.setDisabled(bob, "ci-bot", true)).getMessage());
        assertEquals("agent.disable-refused agent/ci-bot", audit.get(audit.size() - 1).action() + " "
                + audit.get(audit.size() - 1).target());
        assertThrows(ForbiddenException.class, () -> manager.revoke(bob, "ci-bot"));
        assertEquals("agent.revoke-refused agent/ci-bot", audit.get(audit.size() - 1).action() + " "
                + audit.get(audit.size() - 1).target());
        assertFalse(manager.user("ci-bot").disabled());

        manager.setDisabled(admin, "ci-bot", true);
        manager.revoke(admin, "ci-bot");
        assertThrows(NotFoundException.class, () -> manager.user("ci-bot"));
    }

    @Test
    void wrongEnrollmentTokensFromAnAddressAreThrottledAsWrongApiTokensAre() {
        IssuedEnrollment issued = manager.createEnrollment(admin, "web-1", List.of("web-1"), Duration.ofHours(1));
        String line = TestKeys.line(key.getPublic());
        for (int i = 0; i < 6; i++) {
            assertThrows(UnauthenticatedException.class, () -> manager.enroll("hanse_enroll_guess", line, ADDRESS));
        }
        assertThrows(TooManyRequestsException.class, () -> manager.enroll(issued.token(), line, ADDRESS),
                "refused before the token is looked up");
        assertEquals("web-1", manager.enroll(issued.token(), line, "192.0.2.99").name(), "from another address");
    }

    @Test
    void aTokenIsRedeemedOnceAndNotAfterItExpires() {
        IssuedEnrollment issued = manager.createEnrollment(admin, "web-1", List.of("web-1"), Duration.ofHours(1));
        String line = TestKeys.line(key.getPublic());
        manager.enroll(issued.token(), line, ADDRESS);

        assertEquals(issued.enrollment().id(), manager.enrollments(admin).get(0).id());
        assertTrue(manager.enrollments(admin).get(0).used() != null);
        String reused = assertThrows(UnauthenticatedException.class,
                () -> manager.enroll(issued.token(), TestKeys.line(TestKeys.ed25519()), ADDRESS)).getMessage();
        IssuedEnrollment expiring = manager.createEnrollment(admin, "db-1", List.of("db-1"), Duration.ofMinutes(5));
        fixture.clock.advance(Duration.ofMinutes(5));
        String expired = assertThrows(UnauthenticatedException.class,
                () -> manager.enroll(expiring.token(), TestKeys.line(TestKeys.ed25519()), ADDRESS)).getMessage();
        String unknown = assertThrows(UnauthenticatedException.class,
                () -> manager.enroll("hanse_enroll_guess", TestKeys.line(TestKeys.ed25519()), ADDRESS))
                .getMessage();

        assertEquals(reused, expired, "a used and an expired token look alike");
        assertEquals(reused, unknown);
        assertEquals(List.of("web-1"), manager.identities().stream().map(Identity::name).toList());
    }

    @Test
    void theStoredTokenIsOnlyAHashAndTheTokenIsNeverAudited() {
        IssuedEnrollment issued = manager.createEnrollment(admin, "web-1", List.of("web-1"), Duration.ofHours(1));

        assertTrue(issued.token().startsWith(Tokens.ENROLLMENT_PREFIX));
        assertEquals(Tokens.hash(issued.token()), fixture.store.enrollments.values().iterator().next().secretHash());
        assertTrue(fixture.store.audit.stream().noneMatch(entry -> String.valueOf(entry.after())
                .contains(issued.token())));
    }

    @Test
    void enrollmentTokensNeedTheRightToEnrollOnEverySystemAndSaneInput() {
        fixture.user("bob");
        fixture.bind("admin", "bob", "web-1", true);
        Caller bob = fixture.login("bob");

        manager.createEnrollment(bob, "web-1", List.of("web-1"), Duration.ofHours(1));
        assertThrows(ForbiddenException.class,
                () -> manager.createEnrollment(bob, "web-1", List.of("web-1", "db-1"), Duration.ofHours(1)));
        assertThrows(InvalidRequestException.class,
                () -> manager.createEnrollment(admin, "Web 1", List.of("web-1"), Duration.ofHours(1)));
        assertThrows(InvalidRequestException.class,
                () -> manager.createEnrollment(admin, "web-1", List.of(), Duration.ofHours(1)));
        assertThrows(InvalidRequestException.class,
                () -> manager.createEnrollment(admin, "web-1", List.of("web-1"), Duration.ofDays(8)));
        assertThrows(ConflictException.class,
                () -> manager.createEnrollment(admin, "alice", List.of("web-1"), Duration.ofHours(1)),
                "a user's name is not an agent's");
        IssuedEnrollment issued = manager.createEnrollment(admin, "web-1", List.of("web-1"), Duration.ofHours(1));
        assertThrows(InvalidRequestException.class,
                () -> manager.enroll(issued.token(), TestKeys.line(TestKeys.ecdsa()), ADDRESS), "Ed25519 only");
        assertTrue(manager.identities().isEmpty(), "a refused key leaves the token unused");
        manager.enroll(issued.token(), TestKeys.line(key.getPublic()), ADDRESS);
    }

    @Test
    void enrollingAgainReplacesTheKeyAndTheSystems() {
        Identity first = enroll("web-1", List.of("web-1"));
        KeyPair rebuilt = TestKeys.ed25519Pair();
        IssuedEnrollment again = manager.createEnrollment(admin, "web-1", List.of("db-1"), Duration.ofHours(1));

        Identity second = manager.enroll(again.token(), TestKeys.line(rebuilt.getPublic()), ADDRESS);

        assertEquals(first.id(), second.id());
        assertEquals(List.of("db-1"), second.systems());
        assertNotEquals(first.fingerprint(), second.fingerprint());
        assertThrows(UnauthenticatedException.class,
                () -> manager.authenticate(sign("POST", PATH, BODY, fixture.clock.instant())), "the old key is gone");
        assertEquals(List.of("agent.enroll", "agent.re-enroll"), audited("agent.enroll", "agent.re-enroll"));
    }

    @Test
    void replayedTamperedLateAndForeignRequestsAreRefusedAndAudited() {
        enroll("web-1", List.of("web-1"));
        Instant now = fixture.clock.instant();
        SignedRequest request = sign("POST", PATH, BODY, now);
        manager.authenticate(request);

        assertRefused(request, "the nonce was used before: a replayed request");
        // An agent's refusals are written once a minute: each of these comes a minute after the one before.
        fixture.clock.advance(Refusals.INTERVAL);
        SignedRequest signed = sign("POST", PATH, BODY, fixture.clock.instant());
        assertRefused(new SignedRequest(signed.authorization(), "POST", PATH,
                "{\"bootEpoch\":2,\"observations\":[]}".getBytes(StandardCharsets.UTF_8), ADDRESS),
                "the signature does not match the request");
        fixture.clock.advance(Refusals.INTERVAL);
        assertRefused(new SignedRequest(signed.authorization(), "POST", PATH + "?x=1", BODY, ADDRESS),
                "the signature does not match the request");
        fixture.clock.advance(Refusals.INTERVAL);
        assertRefused(sign("POST", PATH, BODY, fixture.clock.instant().minus(Duration.ofMinutes(6))),
                "more than 300 s");
        fixture.clock.advance(Refusals.INTERVAL);
        assertRefused(sign("POST", PATH, BODY, fixture.clock.instant().plus(Duration.ofMinutes(6))),
                "more than 300 s");
        KeyPair stranger = TestKeys.ed25519Pair();
        assertRefused(TestKeys.sign(stranger, "POST", PATH, BODY, now), "no agent has this key");
        assertRefused(new SignedRequest("Hanse-Signature key=\"x\"", "POST", PATH, BODY, ADDRESS), "malformed");
    }

    @Test
    void headersOutOfRangeAreRefusedLikeOtherBadSignatures() {
        enroll("web-1", List.of("web-1"));
        SignedRequest signed = sign("POST", PATH, BODY, fixture.clock.instant());

        assertRefused(with(signed, "created", "99999999999999999"), "the created time is not Unix seconds");
        assertRefused(with(signed, "created", "-1"), "the created time is not Unix seconds");
        assertRefused(with(signed, "key", "SHA256:" + "A".repeat(400)),
                "the key is not an OpenSSH SHA256 fingerprint");
        assertEquals("agent-key/unknown", fixture.store.audit.get(fixture.store.audit.size() - 1).target(),
                "a key that is no fingerprint is not written to the audit log");
        assertRefused(with(signed, "signature", "AAAA"), "the signature is not 64 bytes");
    }

    @Test
    void aRequestSignedBeforeARestartIsRefusedAndTheAgentToldToSignAgain() {
        enroll("web-1", List.of("web-1"));
        SignedRequest request = sign("POST", PATH, BODY, fixture.clock.instant());
        manager.authenticate(request);
        fixture.clock.advance(Duration.ofMillis(1500));

        SecurityManager restarted = fixture.restart();
        String told = assertThrows(UnauthenticatedException.class, () -> restarted.authenticate(request))
                .getMessage();
        assertTrue(told.contains("sign it again"), told);
        for (int i = 0; i <= TestConfig.DEFAULTS.freeFailures(); i++) {
            assertThrows(UnauthenticatedException.class, () -> restarted.authenticate(request),
                    "told to sign again, and not slowed down as a guessing address is");
        }
        assertTrue(fixture.store.audit.get(fixture.store.audit.size() - 1).after()
                .contains("before the server started remembering nonces"));
        SignedRequest duringTheStart = sign("POST", PATH, BODY, fixture.clock.instant());
        assertThrows(UnauthenticatedException.class, () -> restarted.authenticate(duringTheStart),
                "signed in the second the server started, which may have been before it started");
        fixture.clock.advance(Duration.ofMillis(500));
        assertTrue(restarted.authenticate(sign("POST", PATH, BODY, fixture.clock.instant())).authenticated());
    }

    @Test
    void failuresFromOneAddressAreSlowedButValidAgentsThereAreNot() {
        enroll("web-1", List.of("web-1"));
        SignedRequest forged = TestKeys.sign(TestKeys.ed25519Pair(), "POST", PATH, BODY, fixture.clock.instant());
        for (int i = 0; i <= TestConfig.DEFAULTS.freeFailures(); i++) {
            assertThrows(UnauthenticatedException.class, () -> manager.authenticate(forged));
        }

        assertThrows(TooManyRequestsException.class, () -> manager.authenticate(forged));
        assertTrue(manager.authenticate(sign("POST", PATH, BODY, fixture.clock.instant())).authenticated());
    }

    @Test
    void aDisabledOrRevokedAgentIsRefusedAtOnce() {
        enroll("web-1", List.of("web-1"));
        Caller before = manager.authenticate(sign("POST", PATH, BODY, fixture.clock.instant()));

        manager.setDisabled(admin, "web-1", true);
        assertFalse(before.valid(), "a caller already authenticated stops holding");
        assertRefused(sign("POST", PATH, BODY, fixture.clock.instant()), "agent web-1 is disabled");
        manager.setDisabled(admin, "web-1", false);
        manager.authenticate(sign("POST", PATH, BODY, fixture.clock.instant()));
        manager.revoke(admin, "web-1");
        assertRefused(sign("POST", PATH, BODY, fixture.clock.instant()), "no agent has this key");
        assertTrue(manager.identities().isEmpty());
    }

    @Test
    void aDisabledOrRevokedAgentSendingOnLocksNoPasswordLoginOutOfItsAddress() {
        enroll("web-1", List.of("web-1"));
        manager.setDisabled(admin, "web-1", true);
        for (int i = 0; i < 3 * TestConfig.DEFAULTS.freeFailures(); i++) {
            assertThrows(UnauthenticatedException.class,
                    () -> manager.authenticate(sign("POST", PATH, BODY, fixture.clock.instant())),
                    "signed with its own key: refused, and not slowed down as a guess");
            fixture.clock.advance(Duration.ofSeconds(2));
        }
        manager.revoke(admin, "web-1");
        for (int i = 0; i < 3 * TestConfig.DEFAULTS.freeFailures(); i++) {
            assertThrows(RuntimeException.class,
                    () -> manager.authenticate(sign("POST", PATH, BODY, fixture.clock.instant())));
            fixture.clock.advance(Duration.ofSeconds(2));
        }

        assertTrue(manager.login("alice", PASSWORD.toCharArray(), ADDRESS).authenticated());
        assertTrue(manager.authenticate(bearer(manager.createToken(admin, "alice", "laptop", null, null, null)
                .secret()), ADDRESS).authenticated());
    }

    @Test
    void usersCannotSignRequestsWithTheirSshKeys() {
        manager.addKey("alice", TestKeys.line(key.getPublic()), ROOT_CALLER);

        assertRefused(sign("GET", "/api/v1/systems", new byte[0], fixture.clock.instant()), "no agent has this key");
    }

    @Test
    void refusalsFromOneNetworkAreAuditedOnceAMinuteWithHowManyWereSuppressed() {
        KeyPair stranger = TestKeys.ed25519Pair();
        for (String address : List.of("2001:db8::1", "2001:db8::2", "2001:db8::3")) {
            SignedRequest forged = TestKeys.sign(stranger, "POST", PATH, BODY, fixture.clock.instant());
            assertThrows(UnauthenticatedException.class, () -> manager.authenticate(new SignedRequest(
                    forged.authorization(), forged.method(), forged.target(), forged.body(), address)));
        }
        assertEquals(List.of("agent.request-refused"), audited("agent.request-refused"), "one /64, written once");

        fixture.clock.advance(Duration.ofMinutes(1));
        SignedRequest later = TestKeys.sign(stranger, "POST", PATH, BODY, fixture.clock.instant());
        assertThrows(UnauthenticatedException.class, () -> manager.authenticate(new SignedRequest(
                later.authorization(), later.method(), later.target(), later.body(), "2001:db8::4")));
        List<AuditEntry> refused = fixture.store.audit.stream()
                .filter(entry -> entry.action().equals("agent.request-refused")).toList();
        assertEquals(2, refused.size());
        assertTrue(refused.get(1).after().contains("\"suppressed\":2"), refused.get(1).after());
    }

    private Identity enroll(String agent, List<String> systems) {
        IssuedEnrollment issued = manager.createEnrollment(admin, agent, systems, Duration.ofHours(1));
        return manager.enroll(issued.token(), TestKeys.line(key.getPublic()), ADDRESS);
    }

    /** Asserts a refusal, from an address of its own so that the refusals before are not throttled. */
    private void assertRefused(SignedRequest request, String reason) {
        int before = fixture.store.audit.size();
        String address = "198.51.100." + before;
        assertThrows(UnauthenticatedException.class, () -> manager.authenticate(new SignedRequest(
                request.authorization(), request.method(), request.target(), request.body(), address)));
        AuditEntry entry = fixture.store.audit.get(before);
        assertEquals("agent.request-refused", entry.action());
        assertTrue(entry.after().contains(reason), entry.after() + " should say " + reason);
    }

    private List<String> audited(String... actions) {
        List<String> wanted = List.of(actions);
        return fixture.store.audit.stream().map(AuditEntry::action).filter(wanted::contains).toList();
    }

    /** The request with one parameter of its header replaced. */
    private static SignedRequest with(SignedRequest request, String parameter, String value) {
        String authorization = request.authorization().replaceFirst(parameter + "=\"[^\"]*\"",
                parameter + "=\"" + value + "\"");
        return new SignedRequest(authorization, request.method(), request.target(), request.body(),
                request.address());
    }

    private SignedRequest sign(String method, String target, byte[] body, Instant created) {
        return TestKeys.sign(key, method, target, body, created);
    }
}
