package io.hanse.testing;

import io.hanse.kernel.store.ChangeLogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Checks that a database migrated by any earlier version of a change log ends, once the current one
 * is applied, with the schema a fresh database gets from the current one: that change sets applied
 * once were never edited, and that what was added later finds what is already there.
 * <p>
 * Keep a copy of the change log as it was at each commit that changed it, in the test resources
 * (for instance {@code changelog-history/<plugin>/<commit>.xml}), and list the commits in a test on
 * H2 and on PostgreSQL:
 * <pre>
 * ChangeLogHistory.assertEveryVersionEndsAtTheCurrentSchema(ThrowawayDatabase::postgres, getClass().getClassLoader(),
 *         "db/io.hanse.example/changelog.xml", "changelog-history/example", List.of("1a2b3c4", "5d6e7f8"));
 * </pre>
 */
public final class ChangeLogHistory {

    private ChangeLogHistory() {
    }

    /**
     * Applies the current change log twice to a fresh database, which must find nothing left to do
     * the second time; then, for each commit, applies that version to a fresh database, then the
     * current one, and compares the schema with the first database's ({@link SchemaShape}).
     *
     * @param loader finds the current change log, and the versions under {@code history}
     * @param history the folder of the versions, {@code <commit>.xml} each
     * @throws AssertionError naming the first version that ends elsewhere, or fails to migrate
     */
    public static void assertEveryVersionEndsAtTheCurrentSchema(Supplier<ThrowawayDatabase> databases,
            ClassLoader loader, String changeLog, String history, List<String> commits) {
        Map<String, TreeSet<String>> expected;
        try (ThrowawayDatabase fresh = databases.get(); Connection connection = fresh.connect()) {
            ChangeLogs.apply(connection, loader, changeLog);
            ChangeLogs.apply(connection, loader, changeLog);
            expected = SchemaShape.of(connection);
        } catch (SQLException e) {
            throw new AssertionError("A fresh database: " + e.getMessage(), e);
        }
        for (String commit : commits) {
            try (ThrowawayDatabase database = databases.get(); Connection connection = database.connect();
                    Version old = version(loader, changeLog, history + "/" + commit + ".xml")) {
                ChangeLogs.apply(connection, old, changeLog);
                try {
                    ChangeLogs.apply(connection, loader, changeLog);
                } catch (RuntimeException e) {
                    throw new AssertionError("A database migrated at " + commit + " does not migrate by the current"
                            + " change log: " + e.getMessage(), e);
                }
                String differences = differences(expected, SchemaShape.of(connection));
                if (!differences.isEmpty()) {
                    throw new AssertionError("A database migrated at " + commit + ", then by the current change log,"
                            + " differs from a fresh one:" + differences);
                }
            } catch (SQLException e) {
                throw new AssertionError("A database for " + commit + ": " + e.getMessage(), e);
            }
        }
    }

    /** Returns what only one of the schemas has, a line each, marked fresh or migrated; empty if none. */
    private static String differences(Map<String, TreeSet<String>> fresh, Map<String, TreeSet<String>> migrated) {
        StringBuilder differences = new StringBuilder();
        TreeSet<String> tables = new TreeSet<>(fresh.keySet());
        tables.addAll(migrated.keySet());
        for (String table : tables) {
            TreeSet<String> expected = fresh.getOrDefault(table, new TreeSet<>());
            TreeSet<String> actual = migrated.getOrDefault(table, new TreeSet<>());
            if (!fresh.containsKey(table) || !migrated.containsKey(table)) {
                differences.append("\n  table ").append(table).append(" only ")
                        .append(fresh.containsKey(table) ? "fresh" : "migrated");
            }
            expected.stream().filter(line -> !actual.contains(line))
                    .forEach(line -> differences.append("\n  ").append(table).append(" fresh only: ").append(line));
            actual.stream().filter(line -> !expected.contains(line))
                    .forEach(line -> differences.append("\n  ").append(table).append(" migrated only: ").append(line));
        }
        return differences.toString();
    }

    /**
     * Returns a class loader that finds only the given resource of {@code loader}, under the change
     * log's own path (Liquibase knows a change set by its change log's path): an earlier version to
     * apply with {@link ChangeLogs#apply}. Closing it deletes the copy.
     */
    public static Version version(ClassLoader loader, String changeLog, String resource) {
        try {
            Path root = Files.createTempDirectory("changelog-version");
            Path target = root.resolve(changeLog);
            Files.createDirectories(target.getParent());
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new AssertionError("No resource " + resource);
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Version(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An earlier version of a change log, alone on its class path. */
    public static final class Version extends URLClassLoader {

        private final Path root;

        private Version(Path root) throws IOException {
            super(new URL[] {root.toUri().toURL()}, null);
            this.root = root;
        }

        @Override
        public void close() {
            try (Stream<Path> files = Files.walk(root)) {
                super.close();
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
