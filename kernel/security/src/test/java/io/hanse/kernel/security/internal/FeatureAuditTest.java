package io.hanse.kernel.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hanse.api.security.Caller;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditLog;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.AuditRecord;
import io.hanse.kernel.store.AuditVerification;
import io.hanse.testing.TestCaller;
import io.hanse.testing.TestSecurity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.features.FeatureEvent;
import org.apache.karaf.features.internal.model.Feature;
import org.junit.jupiter.api.Test;

class FeatureAuditTest {

    /** Keeps what is appended; reading and verifying are not what this test is about. */
    private static final class RecordingAuditLog implements AuditLog {
        final List<AuditEntry> appended = new ArrayList<>();

        @Override
        public AuditRecord append(AuditEntry entry) {
            appended.add(entry);
            return new AuditRecord(appended.size(), Instant.now(), entry, "", "");
        }

        @Override
        public List<AuditRecord> query(AuditQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AuditVerification verify() {
            throw new UnsupportedOperationException();
        }
    }

    private static FeatureEvent event(FeatureEvent.EventType type, boolean replay) {
        return new FeatureEvent(type, new Feature("hanse-monitoring", "1.2.0"), "root", replay);
    }

    @Test
    void installingAndUninstallingAPluginAreAuditedWithTheShellUser() {
        RecordingAuditLog log = new RecordingAuditLog();
        FeatureAudit audit = new FeatureAudit(log, TestSecurity.shellOf(TestCaller.everywhere("alice")));

        audit.featureEvent(event(FeatureEvent.EventType.FeatureInstalled, false));
        audit.featureEvent(event(FeatureEvent.EventType.FeatureUninstalled, false));

        assertEquals(List.of("feature.install", "feature.uninstall"), log.appended.stream().map(AuditEntry::action)
                .toList());
        AuditEntry installed = log.appended.get(0);
        assertEquals(new Source(Source.Kind.USER, "alice"), installed.actor());
        assertEquals("feature/hanse-monitoring/1.2.0", installed.target());
        assertNull(installed.before());
        assertEquals("{\"feature\":\"hanse-monitoring\",\"version\":\"1.2.0\"}", installed.after());
        assertNull(log.appended.get(1).after());
    }

    @Test
    void withoutAShellUserTheKernelIsTheActorAndReplaysAreNotAuditedAgain() {
        RecordingAuditLog log = new RecordingAuditLog();
        FeatureAudit audit = new FeatureAudit(log, TestSecurity.shellOf(Caller.anonymous()));

        audit.featureEvent(event(FeatureEvent.EventType.FeatureInstalled, true));
        audit.featureEvent(event(FeatureEvent.EventType.FeatureInstalled, false));

        assertEquals(1, log.appended.size());
        assertEquals(Source.KERNEL, log.appended.get(0).actor());
    }
}
