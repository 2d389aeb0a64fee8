package io.hanse.kernel.security.internal;

import io.hanse.api.security.Caller;
import io.hanse.api.security.Permission;
import io.hanse.api.security.PermissionSet;
import io.hanse.api.timeline.Source;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MutableClock;
import io.hanse.testing.TestCaller;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A security manager over in-memory fakes of its store and of the systems, with a clock the test
 * moves and the kernel's permissions declared.
 */
final class SecurityFixture {

    /** A password every rule accepts, for every user the tests create. */
    static final String PASSWORD = "Correct-Horse-7-Battery";
    static final Source ROOT = new Source(Source.Kind.USER, "root");
    /** The caller {@link #ROOT} is: it holds every permission everywhere, so it may grant any. */
    static final Caller ROOT_CALLER = new TestCaller(ROOT, true, true, Map.of());
    static final String ADDRESS = "192.0.2.1";
    static final String ACK = "monitoring:ack";

    /** A plugin's permissions: one for day-to-day work. */
    static final class MonitoringPermissions implements PermissionSet {
        @Override
        public List<Permission> permissions() {
            return List.of(new Permission(ACK, "Acknowledge alerts", Permission.Level.OPERATE));
        }
    }

    final MemorySecurityStore store = new MemorySecurityStore();
    final MemorySystems systems = new MemorySystems();
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final TestConfig config;
    private final Path oneTimePasswordFile;
    SecurityManager manager;

    SecurityFixture() {
        this(TestConfig.DEFAULTS);
    }

    SecurityFixture(TestConfig config) {
        this(config, Path.of("target", "never-written-hanse-admin-password"));
    }

    SecurityFixture(TestConfig config, Path oneTimePasswordFile) {
        this.config = config;
        this.oneTimePasswordFile = oneTimePasswordFile;
        restart();
    }

    /** Builds a new manager over the same store, as after a restart of the bundle. */
    SecurityManager restart() {
        manager = new SecurityManager(store, systems, config, clock, oneTimePasswordFile, store.audit::add);
        manager.addPermissionSet(new KernelPermissionSet());
        return manager;
    }

    /** Adds a user with {@link #PASSWORD}. */
    void user(String name) {
        manager.addUser(name, "User " + name, false, PASSWORD.toCharArray(), ROOT);
    }

    /** Binds a role to a user: on the whole instance if {@code system} is null. */
    SecurityManager.Binding bind(String role, String user, String system, boolean includeMembers) {
        return manager.bind(role, user, null, system, includeMembers, ROOT_CALLER);
    }

    /** Logs a user in with {@link #PASSWORD}. */
    Caller login(String name) {
        return manager.login(name, PASSWORD.toCharArray(), ADDRESS);
    }

    static String bearer(String secret) {
        return "Bearer " + secret;
    }
}
