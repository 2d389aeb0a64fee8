package io.hanse.monitoring.internal;

import io.hanse.testing.ChangeLogHistory;
import io.hanse.testing.ThrowawayDatabase;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A database migrated by any version of the plugin's change log ends, once the current one is applied,
 * with the schema a fresh database gets. The versions are copies of the change log as it was at each
 * commit that changed it ({@code src/test/resources/changelog-history/monitoring/<commit>.xml}), the
 * fixes for change sets edited after they were applied included: a database at 0f4a25e has 3-reviews'
 * review item columns, one at 015f039 9-outbox's index, and one at 717e6a1 or 771e2a1 neither.
 */
class ChangeLogHistoryTest {

    private static final String CHANGE_LOG = "db/io.hanse.monitoring/changelog.xml";
    /** In the order of the commits (git log --reverse -- the change log). */
    private static final List<String> HISTORY = List.of("717e6a1", "0f4a25e", "4895af2", "51a1f9c", "b2f79eb",
            "98444b1", "6be3c9d", "6a74a14", "e4d15fa", "771e2a1", "015f039", "e34f55f", "8d9156e", "44d657e",
            "3b91edf", "c24ecbb", "504a29b", "707af65", "457c11e");

    @Test
    void everyVersionEndsAtTheCurrentSchemaOnH2() {
        check(ThrowawayDatabase::h2);
    }

    @Test
    void everyVersionEndsAtTheCurrentSchemaOnPostgres() {
        check(ThrowawayDatabase::postgres);
    }

    private void check(Supplier<ThrowawayDatabase> databases) {
        ChangeLogHistory.assertEveryVersionEndsAtTheCurrentSchema(databases, getClass().getClassLoader(), CHANGE_LOG,
                "changelog-history/monitoring", HISTORY);
    }
}
