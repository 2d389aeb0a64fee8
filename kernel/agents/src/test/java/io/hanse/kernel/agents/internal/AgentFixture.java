package io.hanse.kernel.agents.internal;

import io.hanse.api.config.Settings;
import io.hanse.api.security.Caller;
import io.hanse.kernel.security.AgentIdentities;
import io.hanse.kernel.store.AgentStore;
import io.hanse.kernel.store.StoredAgent;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.MutableClock;
import io.hanse.testing.StatusReports;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A registry over agents the test enrolls, an in-memory store and timeline, a status sink that
 * records what it is told, and a clock the test moves.
 */
final class AgentFixture {

    static final AgentConfig CONFIG = config(30, 90, 1000);

    /** A configuration as etc/io.hanse.agents.cfg gives it; at most 3 desires per agent, 2 long polls and
     * 2 batches taken in at once. */
    static AgentConfig config(int heartbeatSeconds, int ttlSeconds, int maxBatch) {
        return new AgentConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AgentConfig.class;
            }

            @Override
            public int heartbeatSeconds() {
                return heartbeatSeconds;
            }

            @Override
            public int ttlSeconds() {
                return ttlSeconds;
            }

            @Override
            public int maxBatch() {
                return maxBatch;
            }

            @Override
            public int maxConcurrentBatches() {
                return 2;
            }

            @Override
            public int maxDesiresPerAgent() {
                return 3;
            }

            @Override
            public int maxLongPolls() {
                return 2;
            }
        };
    }

    /** The configuration problems of etc/io.hanse.agents.cfg in effect. */
    static List<String> problems() {
        return Settings.problems().stream().filter(problem -> problem.startsWith("etc/io.hanse.agents.cfg:")).toList();
    }

    /** The identities security would hold. */
    final List<AgentIdentities.Identity> enrolled = new ArrayList<>();
    final Map<UUID, StoredAgent> stored = new HashMap<>();
    final StatusReports status = new StatusReports();
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    final MemoryTimeline timeline = new MemoryTimeline(Set.of("web-1", "web-2", "db-1"));
    /** Whether the store fails, as the database does while it is away. */
    boolean storeAway;
    final AgentIdentities identities;
    final AgentStore store;
    final AgentRegistry registry;

    AgentFixture() {
        identities = new AgentIdentities() {
            @Override
            public IssuedEnrollment createEnrollment(Caller caller, String agent, List<String> systems,
                    Duration validFor) {
                throw new IllegalStateException("not needed by the registry");
            }

            @Override
            public List<Enrollment> enrollments(Caller caller) {
                return List.of();
            }

            @Override
            public Identity enroll(String token, String publicKey, String address) {
                throw new IllegalStateException("not needed by the registry");
            }

            @Override
            public List<Identity> identities() {
                return List.copyOf(enrolled);
            }

            @Override
            public Identity setDisabled(Caller caller, String agent, boolean disabled) {
                throw new IllegalStateException("not needed by the registry");
            }

            @Override
            public void revoke(Caller caller, String agent) {
                enrolled.removeIf(identity -> identity.name().equals(agent));
            }
        };
        store = new AgentStore() {
            @Override
            public List<StoredAgent> loadAll() {
                return List.copyOf(stored.values());
            }

            @Override
            public void saveAll(List<StoredAgent> agents) {
                if (storeAway) {
                    throw new IllegalStateException("database failure: Connection to 127.0.0.1:5432 refused");
                }
                agents.forEach(agent -> stored.put(agent.principal(), agent));
            }
        };
        registry = restart();
    }

    /**
     * A new registry over the same store, identities and timeline, as after a restart; it reports into {@link #status}.
     */
    AgentRegistry restart() {
        AgentRegistry started = new AgentRegistry(identities, store, timeline, CONFIG, clock, false);
        started.start(status);
        return started;
    }

    AgentIdentities.Identity enroll(String name, String... systems) {
        AgentIdentities.Identity identity = new AgentIdentities.Identity(UUID.randomUUID(), name, List.of(systems),
                "SHA256:" + name, false, clock.instant());
        enrolled.add(identity);
        return identity;
    }
}
