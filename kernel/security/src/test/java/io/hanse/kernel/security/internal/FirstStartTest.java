package io.hanse.kernel.security.internal;

import static io.hanse.api.security.KernelPermissions.SECURITY_WRITE;
import static io.hanse.kernel.security.internal.SecurityFixture.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.UnauthenticatedException;
import io.hanse.api.security.Caller;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first start of an instance creates its first admin, with a one-time password or one from the environment. */
class FirstStartTest {

    private static final String FROM_ENVIRONMENT = "Env-Given-Strong-42";
    private static final String CHOSEN = "Chosen-Later-Strong-17";

    @TempDir
    Path dir;
    private Path file;
    private SecurityFixture fixture;

    @BeforeEach
    void fixture() {
        file = dir.resolve("data").resolve("hanse-admin-password");
        fixture = new SecurityFixture(TestConfig.DEFAULTS, file);
    }

    @Test
    void withoutAPasswordInTheEnvironmentTheAdminGetsAOneTimePasswordInAFileOnlyItsOwnerReads() throws IOException {
        fixture.manager.firstStart(null);

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        String password = Files.readString(file).strip();
        assertEquals(24, password.length());
        Caller admin = fixture.manager.login("admin", password.toCharArray(), ADDRESS);
        assertTrue(admin.mayEverywhere(SECURITY_WRITE));
        assertTrue(fixture.manager.user("admin").oneTimePassword());
        assertEquals(Set.of("admin", "manager", "viewer", "systembundles", "ssh"),
                fixture.manager.karafRoles(fixture.manager.principalId("admin")));
        assertEquals(List.of("user.create"), fixture.store.audit.stream().map(AuditEntry::action).toList(),
                "the admin and its binding are one change");
        assertTrue(fixture.store.audit.get(0).after().contains("\"role\":\"admin\""));
        for (AuditEntry entry : fixture.store.audit) {
            assertEquals(Source.KERNEL, entry.actor());
            assertFalse(entry.after().contains(password), entry.action());
        }
    }

    @Test
    void anEmptyPasswordInTheEnvironmentCountsAsNone() {
        fixture.manager.firstStart("");

        assertTrue(Files.exists(file));
        assertTrue(fixture.manager.user("admin").oneTimePassword());
    }

    @Test
    void settingANewPasswordDeletesTheOneTimePasswordFile() throws IOException {
        fixture.manager.firstStart(null);
        String oneTime = Files.readString(file).strip();

        fixture.manager.setPassword("admin", oneTime.toCharArray(), CHOSEN.toCharArray(),
                fixture.manager.login("admin", oneTime.toCharArray(), ADDRESS));

        assertFalse(Files.exists(file));
        assertFalse(fixture.manager.user("admin").oneTimePassword());
        assertThrows(UnauthenticatedException.class,
                () -> fixture.manager.login("admin", oneTime.toCharArray(), ADDRESS));
        assertTrue(fixture.manager.login("admin", CHOSEN.toCharArray(), ADDRESS).authenticated());
    }

    @Test
    void withAPasswordInTheEnvironmentNoFileIsWritten() {
        fixture.manager.firstStart(FROM_ENVIRONMENT);

        assertFalse(Files.exists(file));
        assertFalse(fixture.manager.user("admin").oneTimePassword());
        assertTrue(fixture.manager.login("admin", FROM_ENVIRONMENT.toCharArray(), ADDRESS)
                .mayEverywhere(SECURITY_WRITE));
    }

    @Test
    void aWeakPasswordInTheEnvironmentIsNotUsedAndTheAdminGetsAOneTimePasswordInstead() throws IOException {
        String weak = "Ber-Admin-Secret-1";

        fixture.manager.firstStart(weak);

        assertTrue(fixture.manager.user("admin").oneTimePassword());
        String oneTime = Files.readString(file).strip();
        assertEquals(24, oneTime.length());
        assertTrue(fixture.manager.login("admin", oneTime.toCharArray(), ADDRESS).mayEverywhere(SECURITY_WRITE));
        assertThrows(UnauthenticatedException.class,
                () -> fixture.manager.login("admin", weak.toCharArray(), ADDRESS));
        assertEquals(List.of("user.create"), fixture.store.audit.stream().map(AuditEntry::action).toList());
        assertFalse(fixture.store.audit.get(0).after().contains(weak));
    }

    @Test
    void aLaterStartDoesNothing() throws IOException {
        fixture.manager.firstStart(null);
        String oneTime = Files.readString(file);

        fixture.manager.firstStart(null);
        fixture.manager.firstStart(FROM_ENVIRONMENT);
        fixture.restart().firstStart(null);

        assertEquals(oneTime, Files.readString(file));
        assertEquals(List.of("admin"), fixture.manager.users().stream().map(SecurityManager.User::name).toList());
        assertEquals(1, fixture.store.audit.size());
        assertThrows(UnauthenticatedException.class,
                () -> fixture.manager.login("admin", FROM_ENVIRONMENT.toCharArray(), ADDRESS));
    }

    @Test
    void anInstanceWithUsersGetsNoFirstAdmin() {
        fixture.user("alice");

        fixture.manager.firstStart(null);

        assertFalse(Files.exists(file));
        assertEquals(List.of("alice"), fixture.manager.users().stream().map(SecurityManager.User::name).toList());
    }
}
