package io.hanse.kernel.store.internal;

import io.hanse.kernel.store.Database;
import io.hanse.testing.KernelDatabase;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A store test class that runs on one H2 and one PostgreSQL database of its own. */
abstract class OnBothDatabases {

    private static final Map<Database.Kind, KernelDatabase> DATABASES = new EnumMap<>(Database.Kind.class);

    @BeforeAll
    static void open() {
        for (Database.Kind kind : Database.Kind.values()) {
            DATABASES.put(kind, fresh(kind));
        }
    }

    @AfterAll
    static void close() {
        DATABASES.values().forEach(KernelDatabase::close);
        DATABASES.clear();
    }

    /** Returns a new database of this kind, for a test that must not share one; the test closes it. */
    static KernelDatabase fresh(Database.Kind kind) {
        return kind == Database.Kind.H2 ? KernelDatabase.h2() : KernelDatabase.postgres();
    }

    static DataSource dataSource(Database.Kind kind) {
        return DATABASES.get(kind).dataSource();
    }

    static JdbcEventStore events(Database.Kind kind) {
        KernelDatabase database = DATABASES.get(kind);
        return new JdbcEventStore(null, database.database(), database.dataSource());
    }

    static JdbcSystemStore systems(Database.Kind kind) {
        return new JdbcSystemStore(null, dataSource(kind));
    }

    static JdbcSecurityStore security(Database.Kind kind) {
        return new JdbcSecurityStore(null, dataSource(kind));
    }

    static JdbcFederationStore federation(Database.Kind kind) {
        KernelDatabase database = DATABASES.get(kind);
        return new JdbcFederationStore(null, database.database(), database.dataSource());
    }

    static JdbcAuditLog audit(Database.Kind kind) {
        return new JdbcAuditLog(null, dataSource(kind));
    }
}
