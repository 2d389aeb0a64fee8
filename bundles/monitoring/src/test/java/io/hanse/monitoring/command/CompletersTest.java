package io.hanse.monitoring.command;

import static io.hanse.monitoring.internal.MonitoringParts.everyDays;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.kernel.store.Database;
import io.hanse.monitoring.internal.MonitoringParts;
import io.hanse.monitoring.internal.MonitoringPermissions;
import io.hanse.testing.TestCaller;
import io.hanse.testing.TestSecurity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.support.parsing.CommandLineImpl;
import org.junit.jupiter.api.Test;

/** The plugin's completers offer what the shell user may see, and tell nothing of the rest. */
class CompletersTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final TestCaller ALICE = TestCaller.everywhere("alice");
    /** May read web-1 only. */
    private static final TestCaller CAROL = TestCaller.on("carol", Set.of("web-1"), MonitoringPermissions.READ);

    /** What the completer offers with these words typed, the cursor at the end of the last ("" for a new one). */
    private static List<String> complete(Completer completer, String... words) {
        String buffer = String.join(" ", words);
        List<String> candidates = new ArrayList<>();
        completer.complete(null, new CommandLineImpl(words, words.length - 1, words[words.length - 1].length(),
                buffer.length(), buffer), candidates);
        return candidates.stream().map(String::strip).sorted().toList();
    }

    @Test
    void aSystemTheUserMayNotReadIsAsOneThatDoesNotExistWhenChecksAreCompleted() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("db-1");
            parts.report("web-1", "disk", "ok", Duration.ZERO);
            parts.report("db-1", "backup", "critical", Duration.ZERO);
            CheckNameCompleter completer = new CheckNameCompleter();
            completer.checks = parts.checks;
            completer.security = TestSecurity.shellOf(CAROL);

            assertEquals(List.of("disk"), complete(completer, "monitoring:ack", ""));
            assertEquals(List.of("disk"), complete(completer, "monitoring:ack", "no-such", ""));
            assertEquals(List.of("disk"), complete(completer, "monitoring:ack", "db-1", ""),
                    "as no-such: nothing tells carol that db-1 has checks");
            completer.security = TestSecurity.shellOf(ALICE);
            assertEquals(List.of("backup"), complete(completer, "monitoring:ack", "db-1", ""));
        }
    }

    @Test
    void theNamesOfTheReviewsTheUserMaySeeAreReadInOneStatementWithoutTheirPasses() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("db-1");
            parts.report("web-1", "disk", "critical", Duration.ZERO);
            parts.reviews.define(ALICE, "web", "web-1", null, everyDays(7));
            parts.reviews.define(ALICE, "db", "db-1", null, everyDays(7));
            parts.reviews.define(ALICE, "all", null, "!retired", everyDays(7));
            List.of("web", "db", "all").forEach(review -> parts.reviews.start(ALICE, review));
            ReviewNameCompleter completer = new ReviewNameCompleter();
            completer.reviews = parts.reviews;
            completer.security = TestSecurity.shellOf(CAROL);

            int before = parts.statements();
            assertEquals(List.of("web"), complete(completer, "monitoring:review-show", ""),
                    "not db-1's, nor a selector's, which needs reading everything");
            assertEquals(1, parts.statements() - before, "the reviews, none of their passes");
            completer.security = TestSecurity.shellOf(ALICE);
            assertEquals(List.of("all", "db", "web"), complete(completer, "monitoring:review-show", ""));
        }
    }
}
