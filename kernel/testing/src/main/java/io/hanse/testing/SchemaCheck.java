package io.hanse.testing;

import io.hanse.api.UnavailableException;
import io.hanse.kernel.store.ChangeLogs;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

/**
 * Checks that a bundle's JPA entities match the tables its Liquibase change log creates.
 * <p>
 * In the container, Hibernate never validates the schema (the entity manager factory exists
 * before the migrations have run), so a mismatch would only show as a failing query. Call this
 * from a unit test of each bundle that has entities:
 * <pre>
 * SchemaCheck.assertEntitiesMatchChangeLog("db/io.hanse.example/changelog.xml", NoteEntity.class);
 * </pre>
 */
public final class SchemaCheck {

    private SchemaCheck() {
    }

    /**
     * Applies the change log to a fresh in-memory H2 database, then has Hibernate validate the
     * entities against the result. Column types are compared as H2 sees them; a PostgreSQL-only
     * mismatch shows in the integration tests.
     *
     * @param changeLog the change log's path on the class path of the entities
     * @throws AssertionError naming what does not match
     */
    public static void assertEntitiesMatchChangeLog(String changeLog, Class<?>... entities) {
        String url = "jdbc:h2:mem:schema-check-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        ClassLoader loader = entities[0].getClassLoader();
        try (Connection keepAlive = DriverManager.getConnection(url)) {
            migrate(url, changeLog, loader);
            validate(url, entities);
        } catch (SQLException e) {
            throw new AssertionError("Cannot use an in-memory H2 database: " + e.getMessage(), e);
        }
    }

    private static void migrate(String url, String changeLog, ClassLoader loader) {
        try (Connection connection = DriverManager.getConnection(url)) {
            ChangeLogs.apply(connection, loader, changeLog);
        } catch (SQLException | UnavailableException e) {
            throw new AssertionError("Change log " + changeLog + " does not apply: " + e.getMessage(), e);
        }
    }

    private static void validate(String url, Class<?>... entities) {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.URL, url)
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "validate")
                .applySetting(AvailableSettings.JDBC_TIME_ZONE, "UTC")
                .build();
        try {
            MetadataSources sources = new MetadataSources(registry);
            for (Class<?> entity : entities) {
                sources.addAnnotatedClass(entity);
            }
            sources.buildMetadata().buildSessionFactory().close();
        } catch (RuntimeException e) {
            throw new AssertionError("Entities do not match the change log: " + e.getMessage(), e);
        } finally {
            StandardServiceRegistryBuilder.destroy(registry);
        }
    }
}
