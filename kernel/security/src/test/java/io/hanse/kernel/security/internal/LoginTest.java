package io.hanse.kernel.security.internal;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.kernel.security.internal.SecurityFixture.ADDRESS;
import static io.hanse.kernel.security.internal.SecurityFixture.PASSWORD;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT_CALLER;
import static io.hanse.kernel.security.internal.SecurityFixture.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.TooManyRequestsException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.UnavailableException;
import io.hanse.api.config.Settings;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Logging in with a password, over HTTP Basic or to the shell, and how failed attempts are slowed down. */
class LoginTest {

    private static final String ELSEWHERE = "198.51.100.7";
    private static final TestConfig ONE_PASSWORD_AT_A_TIME = new TestConfig(false, 5, 900, 1, 90, 366);

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static SecurityFixture withAlice(TestConfig config) {
        SecurityFixture fixture = new SecurityFixture(config);
        fixture.user("alice");
        fixture.bind("viewer", "alice", null, true);
        return fixture;
    }

    private static UnauthenticatedException wrongPassword(SecurityFixture fixture, String user, String address) {
        return assertThrows(UnauthenticatedException.class,
                () -> fixture.manager.login(user, "Wrong-Horse-8-Battery".toCharArray(), address));
    }

    @Test
    void withoutCredentialsTheCallerIsAnonymousAndMayDoNothing() {
        Caller caller = withAlice(TestConfig.DEFAULTS).manager.authenticate(null, ADDRESS);

        assertFalse(caller.authenticated());
        assertEquals(Scope.NOWHERE, caller.scope(SYSTEMS_READ));
    }

    @Test
    void basicAuthIsRefusedWhileTurnedOff() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS);

        UnauthenticatedException refused = assertThrows(UnauthenticatedException.class,
                () -> fixture.manager.authenticate(basic("alice", PASSWORD), ADDRESS));

        assertTrue(refused.getMessage().contains("Bearer"), refused.getMessage());
    }

    @Test
    void basicAuthLogsInWhenTurnedOn() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withBasicAuth(true));

        Caller caller = fixture.manager.authenticate(basic("alice", PASSWORD), ADDRESS);

        assertEquals(new Source(Source.Kind.USER, "alice"), caller.source());
        assertTrue(caller.mayEverywhere(SYSTEMS_READ));
        String wrong = assertThrows(UnauthenticatedException.class,
                () -> fixture.manager.authenticate(basic("alice", "Wrong-Horse-8-Battery"), ADDRESS)).getMessage();
        for (String malformed : List.of("Basic !!!", "Basic " + Base64.getEncoder().encodeToString(
                "alice-no-colon".getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(wrong, assertThrows(UnauthenticatedException.class,
                    () -> fixture.manager.authenticate(malformed, ADDRESS)).getMessage());
        }
    }

    @Test
    void otherSchemesAreRefused() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withBasicAuth(true));

        assertThrows(UnauthenticatedException.class, () -> fixture.manager.authenticate("Digest x=1", ADDRESS));
    }

    @Test
    void anUnknownUserAWrongPasswordAndADisabledUserAreRefusedAlike() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS);
        fixture.user("bob");
        fixture.manager.updateUser("bob", null, true, ROOT_CALLER);

        String wrong = wrongPassword(fixture, "alice", ADDRESS).getMessage();
        String unknown = wrongPassword(fixture, "nobody", ADDRESS).getMessage();
        String disabled = assertThrows(UnauthenticatedException.class, () -> fixture.login("bob")).getMessage();

        assertEquals(wrong, unknown);
        assertEquals(wrong, disabled);
    }

    @Test
    void aUserDisabledWhileItsPasswordWaitsForItsCheckIsRefused() throws Exception {
        SecurityFixture fixture = withAlice(ONE_PASSWORD_AT_A_TIME);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService others = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> turnTaken = PasswordChecksTest.takeATurn(fixture.manager.authentication.passwordChecks,
                    others, release);
            Thread[] loggingIn = new Thread[1];
            Future<Caller> login = others.submit(() -> {
                loggingIn[0] = Thread.currentThread();
                return fixture.manager.login("alice", PASSWORD.toCharArray(), ADDRESS);
            });
            while (loggingIn[0] == null || loggingIn[0].getState() != Thread.State.TIMED_WAITING) {
                Thread.sleep(5);
            }

            fixture.manager.updateUser("alice", null, true, ROOT_CALLER);
            release.countDown();

            ExecutionException refused = assertThrows(ExecutionException.class, () -> login.get(30, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof UnauthenticatedException, refused.getCause().toString());
            assertTrue(turnTaken.get());
        } finally {
            others.shutdownNow();
        }
    }

    @Test
    void settingAPasswordWaitsForItsTurnAmongTheChecks() throws Exception {
        SecurityFixture fixture = withAlice(ONE_PASSWORD_AT_A_TIME);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> turnTaken = PasswordChecksTest.takeATurn(fixture.manager.authentication.passwordChecks,
                    other, release);

            assertThrows(UnavailableException.class,
                    () -> fixture.manager.setPassword("alice", null, "Another-Horse-9-Battery".toCharArray(),
                            ROOT_CALLER));
            release.countDown();
            assertTrue(turnTaken.get());
        } finally {
            other.shutdownNow();
        }
        fixture.manager.setPassword("alice", null, "Another-Horse-9-Battery".toCharArray(), ROOT_CALLER);
        assertEquals(new Source(Source.Kind.USER, "alice"),
                fixture.manager.login("alice", "Another-Horse-9-Battery".toCharArray(), ADDRESS).source());
    }

    @Test
    void aUserWithoutAPasswordCannotLogInWithOne() {
        SecurityFixture fixture = new SecurityFixture();
        fixture.manager.addUser("keys-only", "", false, null, ROOT);

        assertThrows(UnauthenticatedException.class, () -> fixture.manager.login("keys-only", new char[0], ADDRESS));
        assertThrows(UnauthenticatedException.class, () -> fixture.login("keys-only"));
    }

    @Test
    void theFreeFailuresAreFree() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withThrottle(3, 60));
        for (int i = 0; i < 3; i++) {
            wrongPassword(fixture, "alice", ADDRESS);
        }

        assertTrue(fixture.login("alice").authenticated());
    }

    @Test
    void freeFailuresOfZeroIsLoggedAndTheDefaultFiveAreFreeInstead() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withThrottle(0, 60));
        for (int i = 0; i < 5; i++) {
            wrongPassword(fixture, "alice", ADDRESS);
        }

        assertTrue(fixture.login("alice").authenticated());
        assertEquals(List.of("etc/io.hanse.security.cfg: freeFailures = 0 is below 1; using 5"), Settings.problems()
                .stream().filter(problem -> problem.startsWith("etc/io.hanse.security.cfg:")).toList());
    }

    @Test
    void aFailureBeyondTheFreeOnesLocksOutEvenTheRightPasswordUntilTheLockoutPasses() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withThrottle(3, 60));
        for (int i = 0; i < 4; i++) {
            wrongPassword(fixture, "alice", ADDRESS);
        }

        TooManyRequestsException locked = assertThrows(TooManyRequestsException.class, () -> fixture.login("alice"));
        assertEquals(Duration.ofSeconds(1), locked.retryAfter());
        assertThrows(TooManyRequestsException.class,
                () -> fixture.manager.login("alice", PASSWORD.toCharArray(), ELSEWHERE), "the user is locked out");

        fixture.clock.advance(Duration.ofSeconds(1));

        assertTrue(fixture.login("alice").authenticated());
    }

    @Test
    void eachFurtherFailureDoublesTheLockoutUpToTheMaximum() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withThrottle(1, 5));
        wrongPassword(fixture, "alice", ADDRESS);

        List<Long> lockouts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            wrongPassword(fixture, "alice", ADDRESS);
            Duration wait = assertThrows(TooManyRequestsException.class, () -> fixture.login("alice")).retryAfter();
            lockouts.add(wait.toSeconds());
            fixture.clock.advance(wait);
        }

        assertEquals(List.of(1L, 2L, 4L, 5L, 5L), lockouts);
        assertTrue(fixture.login("alice").authenticated());
    }

    @Test
    void failuresFromOneAddressCountTogetherWhateverTheUserName() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withThrottle(3, 60));
        for (String name : List.of("mallory", "oscar", "trudy", "root")) {
            wrongPassword(fixture, name, ELSEWHERE);
        }

        assertThrows(TooManyRequestsException.class,
                () -> fixture.manager.login("alice", PASSWORD.toCharArray(), ELSEWHERE));
        assertTrue(fixture.login("alice").authenticated(), "alice from another address is not locked out");
    }

    @Test
    void wrongTokensAreSlowedPerAddressButValidOnesAlwaysWork() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withThrottle(3, 60));
        String valid = bearer(fixture.manager.createToken(ROOT_CALLER, "alice", "ci", null, null, null).secret());
        for (int i = 0; i < 4; i++) {
            assertThrows(UnauthenticatedException.class,
                    () -> fixture.manager.authenticate(bearer(Tokens.generate(Tokens.PREFIX)), ELSEWHERE));
        }

        assertThrows(TooManyRequestsException.class,
                () -> fixture.manager.authenticate(bearer(Tokens.generate(Tokens.PREFIX)), ELSEWHERE),
                "guessing is slowed");
        assertTrue(fixture.manager.authenticate(valid, ELSEWHERE).authenticated(),
                "a valid token works even from an address others locked out, as behind one NAT");
        fixture.clock.advance(Duration.ofSeconds(2));
        assertThrows(UnauthenticatedException.class,
                () -> fixture.manager.authenticate(bearer(Tokens.generate(Tokens.PREFIX)), ELSEWHERE));
    }

    @Test
    void guessesMadeAtOnceAreCheckedNoMoreThanGuessesOneAfterTheOther() throws Exception {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withThrottle(3, 60));
        int guesses = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService guessers = Executors.newFixedThreadPool(guesses);
        List<Future<Class<?>>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < guesses; i++) {
                String address = "203.0.113." + i; // each its own address: only the user's count holds them
                outcomes.add(guessers.submit(() -> {
                    start.await();
                    return assertThrows(RuntimeException.class,
                            () -> fixture.manager.login("alice", "Wrong-Horse-8-Battery".toCharArray(), address))
                            .getClass();
                }));
            }
            start.countDown();
            List<Class<?>> refusals = new ArrayList<>();
            for (Future<Class<?>> outcome : outcomes) {
                refusals.add(outcome.get());
            }

            long checked = refusals.stream().filter(UnauthenticatedException.class::equals).count();
            assertTrue(checked >= 1 && checked <= 4, "3 free failures and the one that locks out, not " + checked);
            assertEquals(guesses - checked, refusals.stream().filter(TooManyRequestsException.class::equals).count());
        } finally {
            guessers.shutdownNow();
        }
    }

    @Test
    void aLockoutIsAuditedWhenItBeginsNotAtEachFailure() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withThrottle(3, 60));
        for (int i = 0; i < 3; i++) {
            wrongPassword(fixture, "alice", ADDRESS);
        }
        assertEquals(List.of(), lockouts(fixture), "free failures are no lockout");

        wrongPassword(fixture, "alice", ADDRESS);
        for (int i = 0; i < 3; i++) {
            fixture.clock.advance(Duration.ofMinutes(1));
            wrongPassword(fixture, "alice", ADDRESS);
        }

        List<AuditEntry> lockouts = lockouts(fixture);
        assertEquals(List.of("user/alice", "address/" + ADDRESS), lockouts.stream().map(AuditEntry::target).toList());
        assertEquals(Source.KERNEL, lockouts.get(0).actor());
        assertEquals("{\"failures\":4,\"lockedSeconds\":1}", lockouts.get(0).after());
    }

    @Test
    void aLockoutThatCannotBeAuditedStillRefusesTheGuessAsWrong() {
        TestConfig config = TestConfig.DEFAULTS.withThrottle(1, 60);
        SecurityFixture fixture = withAlice(config);
        SecurityManager unaudited = new SecurityManager(fixture.store, fixture.systems, config, fixture.clock,
                Path.of("target", "never-written-hanse-admin-password"), entry -> {
                    throw new UnavailableException("the database does not answer");
                });
        unaudited.addPermissionSet(new KernelPermissionSet());
        for (int i = 0; i < 2; i++) {
            assertThrows(UnauthenticatedException.class,
                    () -> unaudited.login("alice", "Wrong-Horse-8-Battery".toCharArray(), ADDRESS),
                    "the second begins a lockout, which is logged only");
        }
        assertThrows(TooManyRequestsException.class,
                () -> unaudited.login("alice", PASSWORD.toCharArray(), ADDRESS), "and locked out all the same");
    }

    @Test
    void namesNoUserCanHaveCountTogetherAndTheirLockoutIsAuditedWithoutThem() {
        SecurityFixture fixture = withAlice(TestConfig.DEFAULTS.withThrottle(1, 60));
        wrongPassword(fixture, "x\n2026-03-01 INFO admin logged in" + "y".repeat(300), "198.51.100.1");
        wrongPassword(fixture, "Alice", "198.51.100.2");

        assertEquals(List.of("user/(not a user name)"), lockouts(fixture).stream().map(AuditEntry::target).toList());
        assertTrue(fixture.login("alice").authenticated(), "alice is not locked out by them");
    }

    private static List<AuditEntry> lockouts(SecurityFixture fixture) {
        return fixture.store.audit.stream().filter(entry -> entry.action().equals("login.lockout")).toList();
    }
}
